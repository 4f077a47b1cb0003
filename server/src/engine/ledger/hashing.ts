import { createHash } from "node:crypto";
import { canonicalJson } from "./canonicalJson";
import { changePredicateType, statementType, subjectsOf, type ChainLink, type EntryDraft, type LedgerEntry } from "./entry";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The entry's hash: sha256 over the canonical JSON of the entry with `predicate.chain.hash` left out. */
export function entryHash(entry: LedgerEntry): string {
  const { hash: _omitted, ...link } = entry.predicate.chain;
  return sha256Hex(canonicalJson({ ...entry, predicate: { ...entry.predicate, chain: link } }));
}

/** The entry a draft becomes at position `seq` after the entry hashed `prev`. */
export function sealEntry(draft: EntryDraft, seq: number, prev: string): LedgerEntry {
  const unsealed: LedgerEntry = {
    _type: statementType,
    subject: subjectsOf(draft.files),
    predicateType: changePredicateType,
    predicate: { ...draft, chain: { seq, prev, hash: "" } },
  };
  const chain: ChainLink = { seq, prev, hash: entryHash(unsealed) };
  return { ...unsealed, predicate: { ...unsealed.predicate, chain } };
}

/** The line as written: canonical JSON (so `hashOfLine` can check it without re-serializing) and a newline. */
export function entryLine(entry: LedgerEntry): string {
  return canonicalJson(entry) + "\n";
}

const chainMember = Buffer.from('"chain":{"hash":"');

/**
 * Verification's fast path. A line we wrote is canonical JSON, so cutting its `"hash":"…",`
 * member out leaves exactly the bytes that were hashed; hashing those two slices of the line
 * avoids re-serializing 100,000 entries. A `"chain":{"hash":"` can only be the real member:
 * inside a JSON string every quote is escaped. Returns undefined when the line is not in our
 * canonical shape (a tool reformatted it); the caller then hashes the parsed entry, which is the
 * definition.
 */
export function hashOfCanonicalLine(line: Buffer): { stored: string; computed: string } | undefined {
  const at = line.indexOf(chainMember);
  if (at === -1) return undefined;
  const memberStart = at + '"chain":{'.length;
  const hashStart = at + chainMember.length;
  const hashEnd = hashStart + 64;
  // The member must end in `",` for the cut to leave canonical JSON behind.
  if (line[hashEnd] !== 0x22 || line[hashEnd + 1] !== 0x2c) return undefined;
  // Checked by the caller against the parsed entry's hash, which must be a sha256.
  const stored = line.toString("latin1", hashStart, hashEnd);
  const computed = createHash("sha256").update(line.subarray(0, memberStart)).update(line.subarray(hashEnd + 2)).digest("hex");
  return { stored, computed };
}

/** Whether `text` is 64 lowercase hex digits (a loop, not a regex: two tests per entry showed up when profiling verification). */
export function isSha256Hex(text: unknown): text is string {
  if (typeof text !== "string" || text.length !== 64) return false;
  for (let index = 0; index < 64; index++) {
    const code = text.charCodeAt(index);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}
