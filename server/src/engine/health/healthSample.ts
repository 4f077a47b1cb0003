/**
 * One sample of the workspace's health, as `.selfheal/health.jsonl` stores it (one JSON object
 * per line), and reading such lines back. The file sits in the workspace, where a person can edit
 * it and a crash can tear its last line, so every line is checked field by field: a line that
 * does not fit is skipped and reported (line number and why), never trusted in part.
 *
 * Pure: the provenance page and the static report bundle it.
 */
import type { Finding } from "../findings";
import { summarizeHealth } from "../health";

export interface HealthSample {
  /** ISO 8601, UTC. */
  time: string;
  files: number;
  lines: number;
  errors: number;
  warnings: number;
  /** Severity-weighted findings per 1,000 lines (see summarizeHealth). */
  debtIndex: number;
  /** Findings per rule id. */
  byRule: Record<string, number>;
  /** Findings per top-level folder of the workspace ("." for files at its root). */
  byFolder: Record<string, number>;
}

export interface HealthLogProblem {
  /** 1-based line of health.jsonl. */
  line: number;
  /** Why it was skipped. */
  detail: string;
}

export interface HealthSeries {
  /** In file order (oldest first). */
  samples: HealthSample[];
  /** Lines that were skipped: torn, hand-edited, not a sample. */
  problems: HealthLogProblem[];
}

/**
 * The sample for an analysis: `root` is the workspace folder (forward slashes, as the engine's
 * paths are); a finding outside it counts under "(outside)".
 */
export function healthSampleOf(findings: readonly Finding[], root: string, files: number, lines: number, time: Date): HealthSample {
  const summary = summarizeHealth(findings, lines);
  const byRule = counter();
  const byFolder = counter();
  const prefix = root.endsWith("/") ? root : `${root}/`;
  for (const finding of findings) {
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    const folder = finding.file.startsWith(prefix) ? topFolderOf(finding.file.slice(prefix.length)) : "(outside)";
    byFolder[folder] = (byFolder[folder] ?? 0) + 1;
  }
  return { time: time.toISOString(), files, lines, errors: summary.errors, warnings: summary.warnings, debtIndex: summary.debtIndex, byRule: sorted(byRule), byFolder: sorted(byFolder) };
}

/** "src/http/routes.ts" → "src"; "index.ts" → ".". */
export function topFolderOf(relative: string): string {
  const slash = relative.indexOf("/");
  return slash === -1 ? "." : relative.slice(0, slash);
}

/** Whether two samples say the same about the code (their times aside). */
export function sameNumbers(a: HealthSample, b: HealthSample): boolean {
  return a.files === b.files && a.lines === b.lines && a.errors === b.errors && a.warnings === b.warnings && a.debtIndex === b.debtIndex && sameCounts(a.byRule, b.byRule) && sameCounts(a.byFolder, b.byFolder);
}

/** The samples of a health log's text; bad lines are skipped and reported. An empty last line (the final newline) is not a line. */
export function parseHealthLog(text: string): HealthSeries {
  const series: HealthSeries = { samples: [], problems: [] };
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((line, index) => {
    const parsed = parseHealthLine(line);
    if (typeof parsed === "string") series.problems.push({ line: index + 1, detail: parsed });
    else series.samples.push(parsed);
  });
  return series;
}

/** One line as a sample, or why it is not one. */
export function parseHealthLine(line: string): HealthSample | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line.trim() === "" ? "the line is empty" : "the line is not JSON (a torn write or a hand edit)";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "the line is not a JSON object";
  const record = value as Record<string, unknown>;
  if (typeof record.time !== "string" || !Number.isFinite(Date.parse(record.time))) return "time must be an ISO 8601 date and time";
  for (const field of ["files", "lines", "errors", "warnings"] as const) {
    if (!isCount(record[field])) return `${field} must be a whole number ≥ 0`;
  }
  if (typeof record.debtIndex !== "number" || !Number.isFinite(record.debtIndex) || record.debtIndex < 0) return "debtIndex must be a number ≥ 0";
  for (const field of ["byRule", "byFolder"] as const) {
    const problem = countsProblem(record[field]);
    if (problem !== undefined) return `${field} ${problem}`;
  }
  return {
    time: record.time,
    files: record.files as number,
    lines: record.lines as number,
    errors: record.errors as number,
    warnings: record.warnings as number,
    debtIndex: record.debtIndex,
    byRule: sorted(record.byRule as Record<string, number>),
    byFolder: sorted(record.byFolder as Record<string, number>),
  };
}

function countsProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be an object of counts";
  for (const [name, count] of Object.entries(value)) {
    if (!isCount(count)) return `.${name.slice(0, 80)} must be a whole number ≥ 0`;
  }
  return undefined;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** An object without a prototype: a rule or folder named "__proto__" is a key like any other. */
function counter(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/** Keys in a stable order, so equal counts serialize the same. */
function sorted(counts: Record<string, number>): Record<string, number> {
  const result = counter();
  for (const name of Object.keys(counts).sort()) result[name] = counts[name];
  return result;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
