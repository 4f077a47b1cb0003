/**
 * "Accept as contract vX.Y.Z": the drift of a contract becomes its new baseline, deliberately and
 * on the record. Three files change together: the baseline (`.selfheal/contracts/<name>.json`,
 * now at the new version), the package's `version` when it is lower than the drift requires, and
 * the contract's migration notes (`<name>.migrations.md`, one section per accepted version,
 * saying what changed and what consumers must do). Pure: the caller passes the comparison, the
 * fresh snapshot and the files' current texts; the agent pipeline plans, verifies and records.
 */
import * as path from "node:path";
import type { FileEdit, Position, Range } from "../findings";
import { serializeBaseline } from "./baseline";
import type { ContractReport, Snapshot } from "./contractRunner";
import { consumerAction } from "./consumerActions";
import { JsonDocument } from "./jsonPositions";
import type { ContractChange } from "./model";
import { bumpedVersion } from "./versionBump";

/** The changes an accept records in the baseline: mirror drift compares a type with a schema, not with the baseline, so accepting cannot settle it. */
export function acceptableChanges(report: ContractReport): ContractChange[] {
  if (report.status !== "compared") return [];
  return report.changes.filter((change) => change.classification !== "internal" && !change.kind.startsWith("mirror-"));
}

/**
 * The version the contract is accepted at: the package's own when it already has the bump the
 * drift requires, else the baseline's bumped by it (breaking → major, additive → minor, 0.x rules).
 */
export function acceptedVersion(report: ContractReport): string {
  if (report.version?.ok) return report.currentVersion;
  return bumpedVersion(report.baselineVersion ?? report.currentVersion, report.required);
}

/** Where a contract's migration notes are kept: beside its baseline. */
export function migrationNotesFile(baselineFile: string): string {
  return baselineFile.replace(/\.json$/, "") + ".migrations.md";
}

/** The files the accept changes, without edits (for a deferred fix, before the snapshot is taken). */
export function acceptedFiles(report: ContractReport): string[] {
  const version = acceptedVersion(report);
  const packageJson = report.version && version !== report.currentVersion ? [report.version.file] : [];
  return [report.target.baseline, ...packageJson, migrationNotesFile(report.target.baseline)];
}

export interface AcceptInput {
  report: ContractReport;
  /** The contract as it is now (snapshotContract), taken with the same programs as `report`. */
  snapshot: Snapshot;
  /** A file's current text; undefined when it does not exist. */
  textOf(file: string): string | undefined;
}

export interface AcceptChanges {
  version: string;
  changes: FileEdit[];
  /** The section appended to the migration notes, also the heart of the ledger's rationale. */
  note: string;
}

export function acceptChanges(input: AcceptInput): AcceptChanges {
  const { report, snapshot, textOf } = input;
  const version = acceptedVersion(report);
  const target = report.target;
  const changes: FileEdit[] = [];

  const baselineText = serializeBaseline({ ...snapshot.baseline, version });
  const currentBaseline = textOf(target.baseline);
  changes.push(currentBaseline === undefined ? created(target.baseline, baselineText) : { file: target.baseline, edits: [{ range: wholeText(currentBaseline), newText: baselineText }] });

  if (report.version && version !== report.currentVersion) {
    const manifest = textOf(report.version.file);
    const range = manifest === undefined ? undefined : new JsonDocument(report.version.file, manifest).valueRangeOf("/version");
    if (range) changes.push({ file: report.version.file, edits: [{ range, newText: JSON.stringify(version) }] });
  }

  const notesFile = migrationNotesFile(target.baseline);
  const note = migrationNote(report, version);
  const notes = textOf(notesFile);
  if (notes === undefined) {
    changes.push(created(notesFile, `# Migration notes: contract \`${target.name}\`\n\nOne section per version accepted with "Accept as contract" (Self-Healing Code), oldest first: what changed for consumers, and what they must do.\n\n${note}`));
  } else {
    const eol = notes.includes("\r\n") ? "\r\n" : "\n";
    const separator = notes === "" || notes.endsWith(`${eol}${eol}`) ? "" : notes.endsWith(eol) ? eol : `${eol}${eol}`;
    changes.push({ file: notesFile, edits: [{ range: { start: endOf(notes), end: endOf(notes) }, newText: separator + note.replace(/\n/g, eol) }] });
  }
  return { version, changes, note };
}

/** One Markdown section: the version, the baseline it replaces, and each change with what consumers must do. */
export function migrationNote(report: ContractReport, version: string): string {
  const changes = acceptableChanges(report);
  const from = report.baselineVersion === undefined ? "" : ` (from ${report.baselineVersion})`;
  const lines = [`## ${version}${from}`, ""];
  const breaking = changes.filter((change) => change.classification === "breaking");
  const additive = changes.filter((change) => change.classification === "additive");
  lines.push(`${count(breaking.length, "breaking change")}, ${count(additive.length, "additive change")}.`, "");
  if (breaking.length > 0) {
    lines.push("### Breaking: consumers must act", "");
    for (const change of sorted(breaking)) lines.push(`- ${change.message} (${change.kind}, ${change.proof})`, `  - What to do: ${consumerAction(change)}`);
    lines.push("");
  }
  if (additive.length > 0) {
    lines.push("### Additive: nothing to do", "");
    for (const change of sorted(additive)) lines.push(`- ${change.message} (${change.kind})`);
    lines.push("");
  }
  return lines.join("\n");
}

/** A sentence for the ledger and the preview: what accepting does, and what it does not. */
export function acceptRationale(report: ContractReport, accepted: AcceptChanges, root: string): string {
  const changes = acceptableChanges(report);
  const breaking = changes.filter((change) => change.classification === "breaking").length;
  const relative = (file: string) => path.posix.relative(root, file);
  const bump = report.baselineVersion === undefined ? `at ${accepted.version}` : `as ${accepted.version} (from ${report.baselineVersion}, a ${report.required} bump by docs/contracts.md's rules)`;
  const kinds = [...new Set(changes.map((change) => change.kind))].sort();
  return (
    `Accepts the drift of contract '${report.target.name}' ${bump}: ${count(breaking, "breaking change")} and ${count(changes.length - breaking, "additive change")} (${kinds.join(", ")}). ` +
    `The baseline ${relative(report.target.baseline)} is taken again from the current code, ${accepted.changes.some((change) => change.file === report.version?.file) ? `${relative(report.version!.file)}'s version is set to ${accepted.version}, ` : ""}` +
    `and the migration notes ${relative(migrationNotesFile(report.target.baseline))} say what consumers must do. No source file changes; consumers that still use what the breaking changes removed will fail to build against this version.`
  );
}

function sorted(changes: ContractChange[]): ContractChange[] {
  // Code-point order: the same note on every machine, whatever its locale.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...changes].sort((a, b) => order(a.symbol, b.symbol) || order(a.kind, b.kind));
}

function created(file: string, text: string): FileEdit {
  const start: Position = { line: 0, character: 0 };
  return { file, create: true, edits: [{ range: { start, end: start }, newText: text }] };
}

function wholeText(text: string): Range {
  return { start: { line: 0, character: 0 }, end: endOf(text) };
}

function endOf(text: string): Position {
  const lines = text.split("\n");
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
