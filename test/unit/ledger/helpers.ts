/** Builders for ledger tests: drafts from real edits (real patches and hashes), workspaces on disk, and waiting on conditions. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Actor, EntryDraft } from "../../../server/src/engine/ledger/entry";
import { newEntryId } from "../../../server/src/engine/ledger/entry";
import { describeChange, type FileEdit } from "../../../server/src/engine/ledger/patches";
import { ledgerLocation, type LedgerLocation } from "../../../server/src/engine/ledger/workspacePaths";
import { makeTempDir, writeFiles, type Files } from "../helpers/workspace";

export const agent: Actor = { kind: "agent", name: "selfheal-test" };

/** A realistic `apply` draft for these edits. */
export function draftFor(edits: FileEdit[], overrides: Partial<EntryDraft> = {}): EntryDraft {
  const change = describeChange(edits);
  return {
    id: newEntryId(),
    time: new Date().toISOString(),
    actor: agent,
    kind: "apply",
    rule: "no-explicit-any",
    rationale: "Replace `any` with `unknown`: the value is only passed on.",
    plan: { planId: "plan-" + change.files.map((file) => file.sha256After).join("-").slice(0, 16), files: change.files.length, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved, exportedApiTouched: false, protectedPathsTouched: [] },
    impact: [],
    decision: { outcome: "auto", reasons: [{ message: "rules.no-explicit-any.autofix is auto", origin: { file: ".selfheal/policy.yaml", line: 4, key: "rules.no-explicit-any.autofix" } }] },
    evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 0, durationMs: 812 }] },
    files: change.files,
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
    ...overrides,
  };
}

/** A small draft that changes one made-up file; `n` makes each one distinct. */
export function numberedDraft(n: number, overrides: Partial<EntryDraft> = {}): EntryDraft {
  return draftFor([{ path: `src/file${n % 7}.ts`, before: `export const value: any = ${n};\n`, after: `export const value: unknown = ${n};\n` }], { rationale: `change number ${n}`, ...overrides });
}

export interface TestWorkspace {
  root: string;
  location: LedgerLocation;
  read(relative: string): Buffer | undefined;
}

export function workspace(files: Files = {}): TestWorkspace {
  const root = makeTempDir();
  writeFiles(root, files);
  return {
    root,
    location: ledgerLocation(root),
    read: (relative) => (fs.existsSync(path.join(root, relative)) ? fs.readFileSync(path.join(root, relative)) : undefined),
  };
}

export function ledgerLines(location: LedgerLocation): string[] {
  return fs.readFileSync(location.ledgerFile, "utf8").split("\n").slice(0, -1);
}

export function writeLedgerLines(location: LedgerLocation, lines: string[], trailingNewline = true): void {
  fs.writeFileSync(location.ledgerFile, lines.join("\n") + (trailingNewline ? "\n" : ""));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. Never a fixed sleep. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Where the compiled engine lives, for child processes (tests run from out/test/unit/ledger). */
export const compiledLedger = path.resolve(__dirname, "../../../server/src/engine/ledger");
export const fixtureScripts = path.resolve(__dirname, "../../../../test/fixtures/ledger");
