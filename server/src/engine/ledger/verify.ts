/**
 * Checking the chain: every entry hashes to its own `hash`, has the next `seq`, and names the
 * previous entry's hash as `prev`. Streams the file; the first break is named by line, seq and
 * id, with what kind of break it is:
 *   altered    the entry's content does not match its hash (or the link to it was re-hashed)
 *   removed    a gap in seq that nothing later fills
 *   reordered  seq goes backwards, or the missing seq turns up later in the file
 *   torn       the last line lacks its newline or does not parse (an interrupted write)
 *   malformed  a line in the middle that is not a ledger entry
 * Deleting entries at the very end leaves a shorter, valid chain; no hash chain can see that
 * without an anchor kept elsewhere (docs/ledger.md says how to keep one).
 */
import { changePredicateType, genesisHash, statementType, type LedgerEntry } from "./entry";
import { entryHash, hashOfCanonicalLine, isSha256Hex } from "./hashing";
import { forEachLedgerLine, type LedgerLine } from "./ledgerLines";

export type IntegrityProblem = "altered" | "removed" | "reordered" | "torn" | "malformed";

export interface FirstBad {
  /** 1-based line of the ledger file. */
  line: number;
  seq?: number;
  id?: string;
  problem: IntegrityProblem;
  detail: string;
}

export type VerifyResult =
  | { intact: true; entries: number; head?: { seq: number; hash: string } }
  /** `entries`: how many entries before the first bad one are sound. */
  | { intact: false; entries: number; firstBad: FirstBad };

export interface LedgerContents {
  /** Every line that is a well-formed entry, in file order, including any after a break (the view shows them, marked). */
  entries: LedgerEntry[];
  integrity: VerifyResult;
}

export async function verifyLedger(ledgerFile: string): Promise<VerifyResult> {
  return (await scanLedger(ledgerFile, false)).integrity;
}

/** The parsed entries and the chain's integrity, in one pass (for the provenance view and `ledger show`). */
export async function readLedger(ledgerFile: string): Promise<LedgerContents> {
  return scanLedger(ledgerFile, true);
}


/** A break whose kind depends on what comes later: a gap is `removed` unless the missing seq turns up. */
interface PendingBreak {
  bad: FirstBad;
  /** For a gap: "seq N follows seq M", reused when the gap turns out to be reordering. */
  position?: string;
  missingFrom?: number;
  missingTo?: number;
  /** The prev of an entry that links to an unknown hash: a later entry with that hash means reordering. */
  unknownPrev?: string;
}

async function scanLedger(ledgerFile: string, keepEntries: boolean): Promise<LedgerContents> {
  const entries: LedgerEntry[] = [];
  let sound = 0;
  let expectedSeq = 1;
  let lastHash = genesisHash;
  let pending: PendingBreak | undefined;

  const examine = (line: LedgerLine, isLast: boolean): void => {
    const parsed = parseEntry(line.bytes.toString("utf8"));
    if (!isNotAnEntry(parsed) && keepEntries) entries.push(parsed);
    if (pending) {
      refineBreak(pending, parsed);
      return;
    }
    if (!line.terminated) {
      pending = { bad: { line: line.number, ...identify(parsed), problem: "torn", detail: "the last line lacks its newline: a write was interrupted" } };
      return;
    }
    if (isNotAnEntry(parsed)) {
      const torn = isLast && parsed.unparsable;
      pending = { bad: { line: line.number, problem: torn ? "torn" : "malformed", detail: torn ? `the last line does not parse: ${parsed.problem}` : parsed.problem } };
      return;
    }
    const { seq, prev, hash } = parsed.predicate.chain;
    const bad = (problem: IntegrityProblem, detail: string): FirstBad => ({ line: line.number, seq, id: parsed.predicate.id, problem, detail });
    if (!hashMatches(line.bytes, parsed)) {
      pending = { bad: bad("altered", "its content does not match its hash: the entry was edited after it was written") };
      return;
    }
    if (seq > expectedSeq) {
      const position = expectedSeq === 1 ? `seq ${seq} is the first entry` : `seq ${seq} follows seq ${expectedSeq - 1}`;
      const missing = seq - expectedSeq === 1 ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq} to ${seq - 1} are missing`;
      pending = { bad: bad("removed", `${position}: ${missing}`), position, missingFrom: expectedSeq, missingTo: seq - 1 };
      return;
    }
    if (seq < expectedSeq) {
      pending = { bad: bad("reordered", `seq goes backwards: seq ${seq} comes after seq ${expectedSeq - 1}`) };
      return;
    }
    if (prev !== lastHash) {
      const detail =
        expectedSeq === 1
          ? "it is seq 1 but its prev is not the genesis value (64 zeros): entries before it were removed and the rest renumbered, or it was edited and re-hashed"
          : `its prev does not match the hash of the entry before it (line ${line.number - 1}): that entry, or this one, was edited and its hash recomputed`;
      pending = {
        bad: bad("altered", detail),
        unknownPrev: prev,
      };
      return;
    }
    sound++;
    expectedSeq = seq + 1;
    lastHash = hash;
  };

  // One line of lookahead: only the last line can be torn.
  let previous: LedgerLine | undefined;
  await forEachLedgerLine(ledgerFile, (line) => {
    if (previous) examine(previous, false);
    previous = line;
  });
  if (previous) examine(previous, true);

  const integrity: VerifyResult = pending
    ? { intact: false, entries: sound, firstBad: pending.bad }
    : { intact: true, entries: sound, ...(sound > 0 ? { head: { seq: expectedSeq - 1, hash: lastHash } } : {}) };
  return { entries, integrity };
}

function refineBreak(pending: PendingBreak, later: LedgerEntry | NotAnEntry): void {
  if (isNotAnEntry(later)) return;
  const { seq, hash } = later.predicate.chain;
  if (pending.missingFrom !== undefined && pending.bad.problem === "removed" && seq >= pending.missingFrom && seq <= (pending.missingTo as number)) {
    pending.bad = { ...pending.bad, problem: "reordered", detail: `${pending.position}: seq ${seq} appears later in the file, so entries are out of order` };
  }
  if (pending.unknownPrev !== undefined && pending.bad.problem === "altered" && hash === pending.unknownPrev) {
    pending.bad = { ...pending.bad, problem: "reordered", detail: `its prev is the hash of seq ${seq}, which comes later in the file: entries are out of order` };
  }
}

function identify(parsed: LedgerEntry | NotAnEntry): { seq?: number; id?: string } {
  return isNotAnEntry(parsed) ? {} : { seq: parsed.predicate.chain.seq, id: parsed.predicate.id };
}

function isNotAnEntry(parsed: LedgerEntry | NotAnEntry): parsed is NotAnEntry {
  return parsed instanceof NotAnEntry;
}

/** Why a line is not an entry; `unparsable`: it is not even JSON (on the last line, the mark of an interrupted write). */
class NotAnEntry {
  constructor(
    readonly problem: string,
    readonly unparsable: boolean,
  ) {}
}

/** The entry on a line, or why the line is not one. */
function parseEntry(text: string): LedgerEntry | NotAnEntry {
  let value: LedgerEntry;
  try {
    value = JSON.parse(text) as LedgerEntry;
  } catch (error) {
    return new NotAnEntry(`not JSON (${(error as Error).message})`, true);
  }
  const problem = entryShapeProblem(value);
  return problem === undefined ? value : new NotAnEntry(problem, false);
}

function entryShapeProblem(value: LedgerEntry): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  if (value._type !== statementType) return `not an in-toto Statement v1 (_type is ${JSON.stringify(value._type)})`;
  if (value.predicateType !== changePredicateType) return `not a ledger entry (predicateType is ${JSON.stringify(value.predicateType)})`;
  const predicate = value.predicate;
  const chain = predicate?.chain;
  if (!chain || !Number.isInteger(chain.seq) || chain.seq < 1) return "its predicate.chain.seq is missing or not a positive integer";
  if (!isSha256Hex(chain.prev)) return "its predicate.chain.prev is missing or not a sha256";
  if (!isSha256Hex(chain.hash)) return "its predicate.chain.hash is missing or not a sha256";
  if (typeof predicate.id !== "string") return "its predicate.id is missing";
  if (!Array.isArray(value.subject) || !Array.isArray(predicate.files)) return "its subject or predicate.files is not a list";
  return undefined;
}

function hashMatches(line: Buffer, entry: LedgerEntry): boolean {
  const stored = entry.predicate.chain.hash;
  const fast = hashOfCanonicalLine(line);
  if (fast && fast.stored === stored && fast.computed === stored) return true;
  // Not byte-for-byte as written (reformatted, CRLF, or altered): the definition decides.
  try {
    return entryHash(entry) === stored;
  } catch {
    // A value canonical JSON refuses (a lone surrogate) was not written by us.
    return false;
  }
}
