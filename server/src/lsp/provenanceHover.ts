/**
 * "Why is this line like this?" in the editor: a hover on a line that a recorded change wrote
 * names the change (rule, time, actor, rationale) and links to it in the provenance view.
 *
 * `ProvenanceLines` keeps, per ledger, an index of which entries touched which file (summaries
 * and the byte range of their line, no patches), and reads only those entries' lines when a file
 * is asked about. Each question checks the ledger file's size and mtime, so a change made by
 * another window or the CLI is seen without waiting for a file watcher; `invalidate()` is for the
 * watcher all the same (and to refresh CodeLenses).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Hover } from "vscode-languageserver/node";
import { MarkupKind } from "vscode-languageserver/node";
import { forEachLedgerLine } from "../engine/ledger/ledgerLines";
import { lineProvenance, provenanceAt, type LedgerValue, type LineAuthor, type ProvenanceRange } from "../engine/ledger/lineProvenance";
import { summarizeEntry } from "../engine/ledger/view/entrySummary";
import { parseLine } from "../engine/ledger/view/ledgerView";
import type { LedgerLocation } from "../engine/ledger/workspacePaths";
import { isUnder, normalizePath } from "../engine/workspace/paths";

/** The command the hover's link and the CodeLens run (registered by the client). */
export const showProvenanceCommand = "selfheal.showProvenance";

/** A file's provenance: the ranges standing changes wrote, and the workspace folder whose ledger says so. */
export interface FileProvenance {
  folder: string;
  ranges: ProvenanceRange[];
}

interface LedgerIndex {
  stamp: string;
  /** Workspace-relative file → the byte range of each entry line that names it, in ledger order. */
  byFile: Map<string, { offset: number; length: number }[]>;
}

export class ProvenanceLines {
  private readonly indexes = new Map<string, Promise<LedgerIndex>>();
  private readonly answers = new Map<string, { stamp: string; text: string; ranges: ProvenanceRange[] }>();

  /** `locations`: the workspace's ledgers (asked again each time: policies can move them). */
  constructor(private readonly locations: () => readonly LedgerLocation[]) {}

  /** Forget what was read (the ledger changed); the next question reads again. */
  invalidate(): void {
    this.indexes.clear();
    this.answers.clear();
  }

  /** The provenance of `file` (absolute) whose current text is `text`; undefined when no ledger governs it. */
  async of(file: string, text: string): Promise<FileProvenance | undefined> {
    const normalized = normalizePath(file);
    const location = this.locations()
      .filter((candidate) => isUnder(normalized, normalizePath(candidate.root)))
      .sort((a, b) => b.root.length - a.root.length)[0];
    if (!location) return undefined;
    const relative = path.posix.relative(normalizePath(location.root), normalized);
    const stamp = stampOf(location.ledgerFile);
    const cacheKey = `${location.ledgerFile}\0${relative}`;
    const cached = this.answers.get(cacheKey);
    if (cached && cached.stamp === stamp && cached.text === text) return { folder: location.root, ranges: cached.ranges };
    const index = await this.indexOf(location.ledgerFile, stamp);
    const lines = index.byFile.get(relative) ?? [];
    const values = await readValues(location.ledgerFile, lines);
    const ranges = lineProvenance(values, relative, text);
    this.answers.set(cacheKey, { stamp: index.stamp, text, ranges });
    return { folder: location.root, ranges };
  }

  private indexOf(ledgerFile: string, stamp: string): Promise<LedgerIndex> {
    const known = this.indexes.get(ledgerFile);
    if (known) {
      return known.then((index) => {
        if (index.stamp === stamp) return index;
        this.indexes.delete(ledgerFile);
        return this.indexOf(ledgerFile, stamp);
      });
    }
    const reading = readIndex(ledgerFile, stamp);
    this.indexes.set(ledgerFile, reading);
    reading.catch(() => this.indexes.delete(ledgerFile));
    return reading;
  }
}

/** The hover for `line` (0-based) of `file`, or null when no standing change wrote it. */
export async function provenanceHover(lines: ProvenanceLines, file: string, text: string, line: number): Promise<Hover | null> {
  const provenance = await lines.of(file, text);
  const range = provenance && provenanceAt(provenance.ranges, line);
  if (!provenance || !range) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(range.author, provenance.folder) },
    range: { start: { line: range.startLine, character: 0 }, end: { line: range.endLine + 1, character: 0 } },
  };
}

/**
 * "Changed by Self-Healing Code: <rule> fix, <time>, <actor> — <rationale> [Open in provenance view](command:…)".
 * Every ledger string is escaped: a rationale is untrusted and must not become a link or markup.
 */
export function hoverMarkdown(author: LineAuthor, folder: string): string {
  const rationale = author.rationale.replace(/\s+/g, " ").trim();
  return (
    `Changed by Self-Healing Code: ${escapeMarkdown(changeName(author))}, ${escapeMarkdown(readableTime(author.time))}, ${escapeMarkdown(actorOf(author))}` +
    `${rationale === "" ? "" : ` — ${escapeMarkdown(rationale)}`}\n\n[Open in provenance view](${showProvenanceLink(folder, author.id)})`
  );
}

/** `command:selfheal.showProvenance?…` with the folder and entry as its one argument, URI-encoded JSON as VS Code reads it. */
export function showProvenanceLink(folder: string, entryId: string): string {
  return `command:${showProvenanceCommand}?${encodeURIComponent(JSON.stringify([{ folder, entryId }]))}`;
}

/** "prefer-const fix", "contract public-api accepted", … */
export function changeName(author: Pick<LineAuthor, "rule" | "contract">): string {
  if (author.rule !== undefined) return `${author.rule} fix`;
  if (author.contract !== undefined) return `${author.contract} change`;
  return "change";
}

function actorOf(author: LineAuthor): string {
  const name = author.actorName === "" ? "unknown" : author.actorName;
  return `${name} (${author.actorKind})`;
}

/** "2025-06-03T09:41:07.512Z" → "2025-06-03 09:41 UTC"; anything else as recorded. */
export function readableTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** Backslash before every character CommonMark gives a meaning to (HTML's < > & included), so the text renders as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~"':=]/g, "\\$&").replace(/[\r\n]+/g, " ");
}

function stampOf(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch {
    return "missing";
  }
}

async function readIndex(ledgerFile: string, stamp: string): Promise<LedgerIndex> {
  const byFile = new Map<string, { offset: number; length: number }[]>();
  let offset = 0;
  await forEachLedgerLine(ledgerFile, (line) => {
    const summary = summarizeEntry(parseLine(line.bytes.toString("utf8")), offset);
    for (const file of new Set(summary?.files ?? [])) {
      const entries = byFile.get(file) ?? [];
      entries.push({ offset, length: line.bytes.length });
      byFile.set(file, entries);
    }
    offset += line.bytes.length + 1;
  });
  return { stamp, byFile };
}

/** The entry lines at these byte ranges, parsed; a range the file no longer holds (it changed meanwhile) is skipped. */
async function readValues(ledgerFile: string, ranges: readonly { offset: number; length: number }[]): Promise<LedgerValue[]> {
  if (ranges.length === 0) return [];
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(ledgerFile, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  try {
    const values: LedgerValue[] = [];
    for (const { offset, length } of ranges) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) continue;
      const value = parseLine(buffer.toString("utf8"));
      if (value !== undefined) values.push({ key: offset, value });
    }
    return values;
  } finally {
    await handle.close();
  }
}
