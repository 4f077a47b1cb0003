/**
 * Stable ids of every ledger message (documented in docs/messages.md, "Ledger messages").
 * Scripts and the provenance view match on these, so an id never changes meaning.
 */
export type LedgerMessageId =
  // Integrity (selfheal ledger verify, and appends that find the tail unusable)
  | "ledger-altered" // an entry's hash does not match its content, or the link to it was recomputed
  | "ledger-removed" // an entry is missing: a gap in seq
  | "ledger-reordered" // entries out of order: seq goes backwards, or a missing seq shows up later
  | "ledger-torn" // the last line lacks its newline or does not parse (an interrupted write)
  | "ledger-malformed" // a line that is not a ledger entry (bad JSON in the middle, missing fields)
  | "ledger-torn-repaired" // repairTornTail moved the torn bytes aside and recorded a reconcile entry
  // Writing
  | "ledger-invalid-entry" // an entry to append is missing a field or has a bad value
  | "ledger-lock-timeout" // another writer held the lock for too long
  | "ledger-stale-lock" // a lock left by a dead process (or older than the stale age) was removed
  | "ledger-path-outside" // a file path that is absolute, has `..`, or resolves outside the workspace
  | "ledger-not-text" // a file that is not valid UTF-8 text: the ledger records text changes only
  | "ledger-files-changed" // the files changed between planning a change and writing it
  // Intents (a change written to files but not yet recorded)
  | "ledger-intent-recorded" // the files have the planned content: the entry was appended (reconciled)
  | "ledger-intent-not-applied" // the files still have their old content: the change never landed
  | "ledger-intent-conflict" // the files are in neither state: kept for a person to decide
  | "ledger-intent-in-progress" // its writer is still running: left alone
  | "ledger-intent-already-recorded" // the entry is already in the ledger: the intent was only left behind
  | "ledger-intent-unreadable" // the intent file does not parse: kept, reported
  // Rollback
  | "ledger-rollback-conflict" // the rollback patch no longer applies: names file and hunk
  | "ledger-rollback-already-undone" // a later rollback entry already undoes this entry
  | "ledger-rollback-nothing" // the entry changed no file
  | "ledger-rollback-inconsistent" // the entry's patch does not reproduce its own recorded hashes
  | "ledger-unknown-entry" // no entry has this id (or id prefix)
  | "ledger-ambiguous-entry" // several entries start with this id prefix
  | "ledger-not-intact" // refused because the ledger failed verification
  | "ledger-location-unknown"; // the folder's policy is broken, and it may be the one that moves the ledger (ledger.path)

/** Every failure the ledger reports carries its message id, so callers can branch without parsing text. */
export class LedgerError extends Error {
  constructor(
    readonly id: LedgerMessageId,
    message: string,
  ) {
    super(message);
    this.name = "LedgerError";
  }
}
