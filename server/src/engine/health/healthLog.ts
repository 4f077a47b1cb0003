/**
 * Health over time: samples of the workspace's health appended to `.selfheal/health.jsonl`, and
 * read back as a time series (DESIGN.md, Observability). Bounded on both axes: a sample whose
 * numbers equal the last one's is written at most once an hour (an editor analyses on every
 * keystroke pause), and the file never grows past `maxBytes`: the oldest samples are dropped
 * (rewritten to a temporary file and renamed, so a reader never sees half a file).
 *
 * A torn or hand-edited line is skipped and reported, not fatal: the log is a convenience, the
 * ledger is the record.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseHealthLine, parseHealthLog, sameNumbers, type HealthSample, type HealthSeries } from "./healthSample";

export const healthLogPath = ".selfheal/health.jsonl";
export const defaultMaxBytes = 2 * 1024 * 1024;
export const defaultMinIntervalMs = 60 * 60 * 1000;

export interface RecordOptions {
  /** The most the file may hold (default 2 MiB); the oldest samples go first. */
  maxBytes?: number;
  /** How long an unchanged sample waits before it is written again (default one hour). */
  minIntervalMs?: number;
}

export type RecordOutcome =
  | { written: true; file: string; trimmed: number; problems: HealthSeries["problems"] }
  | { written: false; file: string; reason: "unchanged"; problems: HealthSeries["problems"] };

export function healthLogFile(workspaceRoot: string): string {
  return path.join(workspaceRoot, healthLogPath);
}

/** The samples in the log (none when it does not exist), with the lines that were skipped. */
export function readHealthLog(file: string): HealthSeries {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { samples: [], problems: [] };
    throw error;
  }
  return parseHealthLog(text);
}

/** Appends the sample unless the last one says the same and is under `minIntervalMs` old. */
export function recordHealthSample(file: string, sample: HealthSample, options: RecordOptions = {}): RecordOutcome {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const minIntervalMs = options.minIntervalMs ?? defaultMinIntervalMs;
  const existing = readExisting(file);
  const series = parseHealthLog(existing);
  const last = series.samples[series.samples.length - 1];
  if (last && sameNumbers(last, sample) && Date.parse(sample.time) - Date.parse(last.time) < minIntervalMs) {
    return { written: false, file, reason: "unchanged", problems: series.problems };
  }
  const line = JSON.stringify(sample) + "\n";
  if (Buffer.byteLength(line) > maxBytes) throw new Error(`a health sample is ${Buffer.byteLength(line)} bytes, more than the log may hold (${maxBytes})`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A torn last line (no newline) stays a line of its own: the new sample must not be glued to it.
  const separator = existing !== "" && !existing.endsWith("\n") ? "\n" : "";
  if (Buffer.byteLength(existing) + Buffer.byteLength(separator + line) <= maxBytes) {
    fs.appendFileSync(file, separator + line);
    return { written: true, file, trimmed: 0, problems: series.problems };
  }
  const kept = trimOldest(existing, maxBytes - Buffer.byteLength(line));
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, kept.text + line);
  fs.renameSync(temporary, file);
  return { written: true, file, trimmed: kept.dropped, problems: series.problems };
}

/** The newest whole lines of `text` that fit in `budget` bytes; lines that are not samples are dropped first of all. */
function trimOldest(text: string, budget: number): { text: string; dropped: number } {
  const lines = text.split("\n").filter((line) => line !== "");
  const samples = lines.filter((line) => typeof parseHealthLine(line) !== "string");
  let dropped = lines.length - samples.length;
  let size = samples.reduce((total, line) => total + Buffer.byteLength(line) + 1, 0);
  let start = 0;
  while (size > budget && start < samples.length) {
    size -= Buffer.byteLength(samples[start]) + 1;
    start++;
    dropped++;
  }
  const kept = samples.slice(start);
  return { text: kept.length === 0 ? "" : kept.join("\n") + "\n", dropped };
}

function readExisting(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
