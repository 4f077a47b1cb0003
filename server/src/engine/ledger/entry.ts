/**
 * The shape of one ledger line. Each entry is an in-toto Statement v1
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) so attestation tooling
 * can read it: `subject` = the files as the change left them, with their sha256; `predicate` =
 * our record of the change, typed by our own predicate URI.
 *
 * The chain fields (`seq`, `prev`, `hash`) live in `predicate.chain`, not beside `_type`: the
 * spec tells consumers to ignore unknown fields, but protobuf-based parsers (the in-toto Go and
 * Python bindings parse with protojson / json_format) reject unknown top-level fields by default,
 * while the predicate is an arbitrary JSON object to all of them. See docs/ledger.md.
 */
import { randomUUID } from "node:crypto";

export const statementType = "https://in-toto.io/Statement/v1";
export const changePredicateType = "https://selfheal.dev/ledger/change/v1";
/** `prev` of the first entry: no entry hashes to it (it is not a sha256 output anyone can aim at). */
export const genesisHash = "0".repeat(64);

export type ActorKind = "user" | "cli" | "agent";

export interface Actor {
  kind: ActorKind;
  /** Who: a user name, the CLI's user@host, or an agent's name with its version. */
  name: string;
}

export type EntryKind = "apply" | "rollback" | "contract-accept" | "reconcile";

export interface PlanSummary {
  planId: string;
  files: number;
  linesAdded: number;
  linesRemoved: number;
  exportedApiTouched: boolean;
  /** Workspace-relative paths of the changed files that policy marks as protected. */
  protectedPathsTouched: string[];
}

export interface PolicyOriginRecord {
  /** Workspace-relative path of the policy file (a bundled policy: `policies/<name>.yaml`). */
  file: string;
  /** 1-based, as editors and `selfheal` print it (the engine's positions are 0-based). */
  line: number;
  /** Dotted key path, e.g. `rules.no-explicit-any.autofix`. */
  key: string;
}

export interface PolicyDecisionRecord {
  outcome: "auto" | "review" | "deny";
  reasons: { message: string; origin?: PolicyOriginRecord }[];
}

export interface CommandEvidence {
  command: string;
  exitCode: number | null;
  durationMs: number;
  /** Why the command did not run (e.g. "untrusted workspace"); exitCode is then null. */
  skipped?: string;
}

export interface VerificationEvidence {
  /** Type errors in the changed files and their impact set, before and after the change. */
  diagnosticsBefore: number;
  diagnosticsAfter: number;
  commands: CommandEvidence[];
}

export interface FileChange {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** null: the file did not exist before (the change created it). */
  sha256Before: string | null;
  /** null: the change deleted the file. */
  sha256After: string | null;
}

export interface ChainLink {
  /** 1-based position in the ledger. */
  seq: number;
  /** `hash` of the previous entry, or `genesisHash` for the first. */
  prev: string;
  /** sha256 (hex) of the canonical JSON (RFC 8785) of the whole entry with this field left out. */
  hash: string;
}

export interface ChangePredicate {
  chain: ChainLink;
  id: string;
  /** ISO 8601, UTC. */
  time: string;
  actor: Actor;
  kind: EntryKind;
  rule?: string;
  contract?: string;
  rationale: string;
  /** Absent for entries no plan produced (a torn-tail reconcile). */
  plan?: PlanSummary;
  /** Workspace-relative files that import what changed. */
  impact: string[];
  /** Absent when no policy decided (a user's rollback, a torn-tail reconcile). */
  decision?: PolicyDecisionRecord;
  /** Absent when nothing was verified (a user's rollback, a torn-tail reconcile). */
  evidence?: VerificationEvidence;
  files: FileChange[];
  /** Unified diff, all files, in the order of `files` ("" when no file changed). */
  forwardPatch: string;
  /** The exact undo of forwardPatch, same order. */
  rollbackPatch: string;
  /** For a rollback: the id of the entry it undoes. */
  undoes?: string;
  /** True when the entry was appended at start-up from a leftover intent (the writer had crashed). */
  reconciled?: boolean;
}

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface LedgerEntry {
  _type: typeof statementType;
  subject: Subject[];
  predicateType: typeof changePredicateType;
  predicate: ChangePredicate;
}

/** What a writer hands to the ledger: everything but the chain link, which append fills in under the lock. */
export type EntryDraft = Omit<ChangePredicate, "chain">;

/**
 * The statement's subjects: every file the change left in place, by its content. A deleted file
 * has no digest to attest, so it is only in `predicate.files`.
 */
export function subjectsOf(files: readonly FileChange[]): Subject[] {
  return files.filter((file) => file.sha256After !== null).map((file) => ({ name: file.path, digest: { sha256: file.sha256After as string } }));
}

/** A fresh entry id (a random UUID: unique across machines, and any 8 leading characters are enough to name it). */
export function newEntryId(): string {
  return randomUUID();
}
