/**
 * "Why is this line like this?": which recorded changes wrote which lines of a file as it is now.
 *
 * Every entry that touched the file is replayed in ledger order over a map of line → the entry
 * that wrote it: a standing `apply` entry owns the lines its forward patch adds, every entry's
 * patch (rollbacks, contract accepts and undone applies included) moves the lines below its
 * hunks and drops the lines it removes, so a line rewritten later is no longer credited to the
 * older change. An entry that a later rollback undid owns nothing (its lines are gone again).
 *
 * Edits made outside the ledger (a person typing) are not recorded, so the replayed positions are
 * checked against the file's current text at the end: a credited line must still read as the
 * change wrote it, at its place or a little above or below (as `patch` finds a hunk at an
 * offset); a line that reads differently was changed since and is credited to nobody.
 *
 * Pure: the ledger's parsed lines and the file's text in, line ranges out.
 */
import { parsePatch, type StructuredPatch } from "diff";
import { linkRollbacks, recordOf, summarizeEntry, type EntrySummary } from "./view/entrySummary";

/** The entry that wrote a range of lines, as a hover or a CodeLens shows it. */
export interface LineAuthor {
  /** Where the entry is in its ledger (the caller's key: a byte offset, a line index). */
  key: number;
  id: string;
  seq: number;
  time: string;
  rule?: string;
  contract?: string;
  /** The start of the rationale (as the provenance list shows it). */
  rationale: string;
  actorKind: string;
  actorName: string;
}

/** Lines `startLine`..`endLine` (0-based, inclusive) as the entry wrote them. */
export interface ProvenanceRange {
  startLine: number;
  endLine: number;
  author: LineAuthor;
}

/** One ledger line, parsed: `key` identifies it for the caller (it becomes `LineAuthor.key`). */
export interface LedgerValue {
  key: number;
  value: unknown;
}

/** How far (in lines) a credited line may have moved through edits the ledger did not record. */
const maxDrift = 200;

interface Credit {
  author: LineAuthor;
  /** The line's text as the change wrote it (to check it still reads so). */
  text: string;
}

/**
 * The ranges of `currentText` that standing changes wrote. `file` is workspace-relative with
 * forward slashes, as the ledger names files. `values` are the ledger's lines in order; lines
 * that are not entries are skipped (the integrity check reports them, not this).
 */
export function lineProvenance(values: readonly LedgerValue[], file: string, currentText: string): ProvenanceRange[] {
  const entries: { summary: EntrySummary; patch: string }[] = [];
  for (const { key, value } of values) {
    const summary = summarizeEntry(value, key);
    const patch = recordOf(recordOf(value)?.predicate)?.forwardPatch;
    if (summary) entries.push({ summary, patch: typeof patch === "string" ? patch : "" });
  }
  linkRollbacks(entries.map((entry) => entry.summary));

  let credits = new Map<number, Credit>();
  for (const { summary, patch } of entries) {
    if (!summary.files.includes(file)) continue;
    const filePatch = patchOf(patch, file);
    if (!filePatch) continue;
    const credited = summary.kind === "apply" && summary.undoneBy === undefined ? authorOf(summary) : undefined;
    credits = replay(credits, filePatch, credited);
  }
  return rangesOf(settle(credits, splitLines(currentText)));
}

/** The lines of a text as a patch counts them (no trailing empty line for a final newline; CRLF kept out of the text). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function authorOf(summary: EntrySummary): LineAuthor {
  const author: LineAuthor = {
    key: summary.key,
    id: summary.id,
    seq: summary.seq,
    time: summary.time,
    rationale: summary.rationale,
    actorKind: summary.actorKind,
    actorName: summary.actorName,
  };
  if (summary.rule !== undefined) author.rule = summary.rule;
  if (summary.contract !== undefined) author.contract = summary.contract;
  return author;
}

/** This file's part of a multi-file patch; undefined when the patch does not parse (a hand-edited ledger) or names it not. */
function patchOf(patch: string, file: string): StructuredPatch | undefined {
  if (patch === "") return undefined;
  let parsed: StructuredPatch[];
  try {
    parsed = parsePatch(patch);
  } catch {
    return undefined;
  }
  const nameOf = (name: string | undefined) => (name === undefined || name === "/dev/null" ? undefined : name.replace(/^[ab]\//, ""));
  return parsed.find((part) => nameOf(part.newFileName) === file || (nameOf(part.newFileName) === undefined && nameOf(part.oldFileName) === file));
}

/**
 * The credits after one patch: lines outside hunks move by the hunks above them, context lines
 * keep their credit, removed lines lose it, added lines get `author` (or nobody). Deleting the
 * file (its new side is /dev/null) leaves no lines at all.
 */
function replay(credits: Map<number, Credit>, patch: StructuredPatch, author: LineAuthor | undefined): Map<number, Credit> {
  const next = new Map<number, Credit>();
  if (patch.newFileName === "/dev/null") return next;
  const hunks = [...patch.hunks].sort((a, b) => a.oldStart - b.oldStart);
  // Old line (0-based) → new line, for lines outside every hunk: shifted by the hunks above.
  let delta = 0;
  let hunkIndex = 0;
  const inHunks = new Set<number>();
  for (const hunk of hunks) {
    // jsdiff's parsed hunks start at the first line in or after the hunk on each side (1-based), empty sides included.
    let oldLine = hunk.oldStart - 1;
    let newLine = hunk.newStart - 1;
    for (const line of hunk.lines) {
      const mark = line[0];
      if (mark === " ") {
        inHunks.add(oldLine);
        const credit = credits.get(oldLine);
        if (credit) next.set(newLine, credit);
        oldLine++;
        newLine++;
      } else if (mark === "-") {
        inHunks.add(oldLine);
        oldLine++;
      } else if (mark === "+") {
        if (author) next.set(newLine, { author, text: stripCr(line.slice(1)) });
        newLine++;
      }
    }
  }
  for (const [oldLine, credit] of [...credits].sort((a, b) => a[0] - b[0])) {
    if (inHunks.has(oldLine)) continue;
    while (hunkIndex < hunks.length && hunkEnd(hunks[hunkIndex]) <= oldLine) {
      delta += hunks[hunkIndex].newLines - hunks[hunkIndex].oldLines;
      hunkIndex++;
    }
    next.set(oldLine + delta, credit);
  }
  return next;
}

/** The first old line (0-based) after the hunk. */
function hunkEnd(hunk: StructuredPatch["hunks"][number]): number {
  return hunk.oldStart - 1 + hunk.oldLines;
}

function stripCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/** Each credit at the current line that still reads as written: its place, else the nearest such line not credited already. */
function settle(credits: Map<number, Credit>, lines: readonly string[]): Map<number, LineAuthor> {
  const settled = new Map<number, LineAuthor>();
  const moved: [number, Credit][] = [];
  for (const [line, credit] of credits) {
    if (lines[line] === credit.text) settled.set(line, credit.author);
    else moved.push([line, credit]);
  }
  for (const [line, credit] of moved.sort((a, b) => a[0] - b[0])) {
    for (let distance = 1; distance <= maxDrift; distance++) {
      const found = [line - distance, line + distance].find((candidate) => lines[candidate] === credit.text && !settled.has(candidate));
      if (found === undefined) continue;
      settled.set(found, credit.author);
      break;
    }
  }
  return settled;
}

/** Runs of consecutive lines written by the same entry. */
function rangesOf(settled: Map<number, LineAuthor>): ProvenanceRange[] {
  const ranges: ProvenanceRange[] = [];
  for (const [line, author] of [...settled].sort((a, b) => a[0] - b[0])) {
    const last = ranges[ranges.length - 1];
    if (last && last.endLine === line - 1 && last.author.key === author.key && last.author.id === author.id) last.endLine = line;
    else ranges.push({ startLine: line, endLine: line, author });
  }
  return ranges;
}

/** The range that covers a line (0-based), if a standing change wrote it. */
export function provenanceAt(ranges: readonly ProvenanceRange[], line: number): ProvenanceRange | undefined {
  return ranges.find((range) => range.startLine <= line && line <= range.endLine);
}
