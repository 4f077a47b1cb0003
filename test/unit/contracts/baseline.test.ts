import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { snapshotApi } from "../../../server/src/engine/contracts/apiContract";
import { apiBaseline, parseBaseline, schemaBaseline, serializeBaseline, type ApiBaseline } from "../../../server/src/engine/contracts/baseline";
import { ContractError } from "../../../server/src/engine/contracts/contractError";
import { canonicalJson } from "../../../server/src/engine/ledger/canonicalJson";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";
import { fixtureProgram } from "./helpers";

const source = {
  "src/index.ts": 'import { helper } from "./helper";\nexport { helper };\nexport interface Options {\n  strict?: boolean;\n}\nexport function parse(text: string, options?: Options): number {\n  return helper(text);\n}\n',
  "src/helper.ts": "export function helper(text: string): number {\n  return text.length;\n}\n",
  "src/unused.ts": "export const notReached = 1;\n",
};

function snapshotIn(root: string): ApiBaseline {
  writeFiles(root, source);
  const entry = `${root}/src/index.ts`;
  return snapshotApi({ program: fixtureProgram(entry, root), entryFile: entry, name: "core", version: "1.2.3", entry: "src/index.ts" }).baseline;
}

function sortedDeep(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(sortedDeep);
  if (value === null || typeof value !== "object") return true;
  const keys = Object.keys(value);
  return keys.join("\n") === [...keys].sort().join("\n") && Object.values(value).every(sortedDeep);
}

describe("contracts: baseline files", () => {
  afterEach(removeTempDirs);

  it("are the same bytes for the same code in two folders: sorted keys, two spaces, a final newline, no absolute path", () => {
    const first = makeTempDir();
    const second = makeTempDir();
    const a = serializeBaseline(snapshotIn(first));
    const b = serializeBaseline(snapshotIn(second));
    assert.equal(a, b);
    assert.ok(!a.includes(first) && !a.includes(second) && !a.includes("/tmp"), "no path of this machine");
    assert.ok(a.endsWith("}\n") && !a.endsWith("\n\n"));
    assert.match(a, /^\{\n {2}"api": \{\n {4}"exports": \{/);
    assert.ok(sortedDeep(JSON.parse(a)), "keys sorted at every level");
  });

  it("keep the entry's declarations (and only what they reach) as lines, with imports between them rewritten", () => {
    const baseline = snapshotIn(makeTempDir());
    assert.deepEqual(Object.keys(baseline.declarations.files).sort(), ["helper.d.ts", "index.d.ts"]);
    assert.equal(baseline.declarations.entry, "index.d.ts");
    assert.match(baseline.declarations.files["index.d.ts"], /^import \{ helper \} from "\.\/helper\.js";$/m);
    const written = JSON.parse(serializeBaseline(baseline)) as { declarations: { files: Record<string, string[]> } };
    assert.deepEqual(written.declarations.files["helper.d.ts"], ["export declare function helper(text: string): number;", ""]);
  });

  it("hash the canonical JSON of the API, and read back to what was written", () => {
    const baseline = snapshotIn(makeTempDir());
    assert.equal(baseline.hash, createHash("sha256").update(canonicalJson(baseline.api)).digest("hex"));
    const loaded = parseBaseline("/x/core.json", serializeBaseline(baseline));
    assert.deepEqual(loaded.baseline, baseline);
    const schema = schemaBaseline({ name: "user", version: "0.0.0", schema: "user.schema.json", document: { type: "object" } });
    assert.deepEqual(parseBaseline("/x/user.json", serializeBaseline(schema)).baseline, schema);
  });

  it("that are broken are refused with where and what", () => {
    const good = serializeBaseline(apiBaseline({ name: "core", version: "1.0.0", entry: "src/index.ts", api: { exports: { a: { variable: { declaration: "const", type: "number" } } } }, declarations: { entry: "index.d.ts", files: { "index.d.ts": "export declare const a: number;\n" } } }));
    const refused = (text: string, message: RegExp) =>
      assert.throws(() => parseBaseline("/w/.selfheal/contracts/core.json", text, ".selfheal/contracts/core.json"), (error: unknown) => error instanceof ContractError && error.id === "contract-baseline-invalid" && message.test(error.message), message.source);
    refused("{\n  \"api\": ,\n}", /^\.selfheal\/contracts\/core\.json:2:10: Expression expected\. \(the baseline is not valid JSON\)$/);
    refused("[]", /a baseline is a JSON object/);
    refused(good.replace('"format": 1', '"format": 2'), /core\.json:\d+: 'format' must be 1, the only baseline format this version reads/);
    refused(good.replace(/,\n  "version": "1\.0\.0"/, ""), /the field 'version' is missing/);
    refused(good.replace('"type": "number"', '"type": "string"'), /core\.json:\d+: 'hash' does not match 'api': the file was edited by hand/);
    refused(good.replace('"variable": {', '"function": { "signatures": 3 }, "variable": {'), /core\.json:\d+: api\.exports\.a\.function: must have 'signatures'/);
    refused(good.replace('"entry": "index.d.ts"', '"entry": "other.d.ts"'), /'declarations\.entry' names other\.d\.ts, which is not in 'declarations\.files'/);
  });

  it("say the line of a removed export: the classifier points there", () => {
    const text = serializeBaseline(snapshotIn(makeTempDir()));
    const loaded = parseBaseline("/x/core.json", text);
    const line = loaded.document.rangeOf("/api/exports/parse").start.line;
    assert.equal(text.split("\n")[line], '      "parse": {');
  });
});
