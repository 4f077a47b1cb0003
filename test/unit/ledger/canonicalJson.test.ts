import * as assert from "node:assert/strict";
import { canonicalJson } from "../../../server/src/engine/ledger/canonicalJson";
import { entryHash, entryLine, sealEntry } from "../../../server/src/engine/ledger/hashing";
import { genesisHash } from "../../../server/src/engine/ledger/entry";
import { numberedDraft } from "./helpers";

describe("ledger: canonical JSON (RFC 8785)", () => {
  it("serializes the RFC's primitive example byte for byte (§3.2.2)", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    assert.equal(canonicalJson(input), '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it("sorts keys by UTF-16 code units, as the RFC's sorting example does (§3.2.3)", () => {
    const input = { "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7 };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // "1" is an integer-like key, which JS objects enumerate first; the order is checked on the text instead.
    const text = canonicalJson(input);
    const positions = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"].map((key) => text.indexOf(JSON.stringify(key) + ":"));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
    assert.equal(keys.length, 7);
  });

  it("writes -0 as 0 and nests objects and arrays without whitespace", () => {
    assert.equal(canonicalJson({ b: [1, { d: -0, c: "x" }], a: {} }), '{"a":{},"b":[1,{"c":"x","d":0}]}');
  });

  it("leaves out undefined members, so an optional field set to undefined hashes like an absent one", () => {
    assert.equal(canonicalJson({ a: 1, b: undefined }), canonicalJson({ a: 1 }));
  });

  it("refuses what JSON cannot carry instead of writing something else", () => {
    assert.throws(() => canonicalJson({ a: Number.NaN }), /NaN is not a JSON number/);
    assert.throws(() => canonicalJson({ a: Infinity }), /Infinity is not a JSON number/);
    assert.throws(() => canonicalJson({ a: "\ud800x" }), /lone surrogate/);
    assert.throws(() => canonicalJson([undefined]), /undefined in an array/);
    assert.throws(() => canonicalJson({ when: new Date(0) }), /a Date is not plain JSON/);
    assert.throws(() => canonicalJson({ n: 10n }), /a bigint is not JSON/);
  });

  it("gives an entry the same hash whatever order its fields were built in", () => {
    const entry = sealEntry(numberedDraft(1), 1, genesisHash);
    const reversed = reverseKeys(entry) as typeof entry;
    assert.notEqual(JSON.stringify(reversed), JSON.stringify(entry), "the copy really has another key order");
    assert.equal(entryHash(reversed), entry.predicate.chain.hash);
  });

  it("writes each entry as its own canonical form on one line", () => {
    const entry = sealEntry(numberedDraft(2), 1, genesisHash);
    const line = entryLine(entry);
    assert.ok(line.endsWith("}\n"));
    assert.equal(line.indexOf("\n"), line.length - 1, "one line: newlines inside patches are escaped");
    assert.equal(line, canonicalJson(JSON.parse(line)) + "\n");
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
}
