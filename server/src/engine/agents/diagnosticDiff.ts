/**
 * What TypeScript says about a file, and what a change added. Diagnostics are compared as
 * `verify/diagnostics.ts` compares them (per file, by code and message, counting repeats, never
 * by position: an edit above a diagnostic moves it), and keep their line so a person can be told
 * where the new one is.
 */
import * as ts from "typescript";
import type { TextEdit } from "../findings";
import { lineStartsOf, mapOffset, positionAt, toOffsetEdits } from "../verify/textEdits";

export interface DiagnosticRecord {
  /** Absolute path; `<global> <project>` for program-wide diagnostics. */
  file: string;
  /** 1-based; 0 for program-wide diagnostics. */
  line: number;
  /** TypeScript's number, e.g. 2322. */
  code: number;
  message: string;
  /** Offset in the file, to map a position across the change (internal). */
  start?: number;
}

export function fileDiagnostics(program: ts.Program, file: string): DiagnosticRecord[] {
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) return [];
  return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)].map((diagnostic) => toRecord(diagnostic, file));
}

export function programWideDiagnostics(program: ts.Program, projectName: string): DiagnosticRecord[] {
  return [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((diagnostic) => toRecord(diagnostic, `<global> ${projectName}`));
}

function toRecord(diagnostic: ts.Diagnostic, file: string): DiagnosticRecord {
  const line = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0;
  return { file, line, code: diagnostic.code, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " "), ...(diagnostic.start !== undefined ? { start: diagnostic.start } : {}) };
}

/** How a changed file's text moved: its text before, after, and the edits between them. */
export interface FileMove {
  before: string;
  after: string;
  edits: readonly TextEdit[];
}

/**
 * The diagnostics in `after` that `before` does not have as often (same file, code and message).
 * Where a key gained occurrences, the new ones are those whose line no old occurrence (moved
 * along with the edits) explains; the count is what decides, the lines say where.
 */
export function addedDiagnostics(before: readonly DiagnosticRecord[], after: readonly DiagnosticRecord[], moves: ReadonlyMap<string, FileMove> = new Map()): DiagnosticRecord[] {
  const keyOf = (record: DiagnosticRecord) => `${record.file}\0${record.code}\0${record.message}`;
  const previousLines = new Map<string, number[]>();
  const mapLine = lineMapper(moves);
  for (const record of before) {
    const lines = previousLines.get(keyOf(record)) ?? [];
    lines.push(mapLine(record));
    previousLines.set(keyOf(record), lines);
  }
  const byKey = new Map<string, DiagnosticRecord[]>();
  for (const record of after) byKey.set(keyOf(record), [...(byKey.get(keyOf(record)) ?? []), record]);
  const added: DiagnosticRecord[] = [];
  for (const [key, records] of byKey) {
    const old = [...(previousLines.get(key) ?? [])];
    const extra = records.length - old.length;
    if (extra <= 0) continue;
    const unexplained = records.filter((record) => {
      const index = old.indexOf(record.line);
      if (index === -1) return true;
      old.splice(index, 1);
      return false;
    });
    // Fewer unexplained than extra: lines collided; the count still decides, the last ones are named.
    const named = unexplained.length >= extra ? unexplained.slice(0, extra) : [...unexplained, ...records.filter((record) => !unexplained.includes(record)).slice(-(extra - unexplained.length))];
    added.push(...named);
  }
  return added.map(({ start: _start, ...record }) => record);
}

/** A before-diagnostic's line as it reads after the change. */
function lineMapper(moves: ReadonlyMap<string, FileMove>): (record: DiagnosticRecord) => number {
  const prepared = new Map<string, (offset: number) => number>();
  return (record) => {
    const move = moves.get(record.file);
    if (!move || record.start === undefined) return record.line;
    let map = prepared.get(record.file);
    if (!map) {
      const offsetEdits = toOffsetEdits(move.before, move.edits);
      const afterStarts = lineStartsOf(move.after);
      map = (offset) => positionAt(afterStarts, mapOffset(offset, offsetEdits, "start")).line + 1;
      prepared.set(record.file, map);
    }
    return map(record.start);
  };
}
