/**
 * Writes a throw-away workspace to disk and runs the real Engine over it, exactly as the CLI
 * does (addFolder + analyzeAll), so rules see the same program, checker and settings as in use.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine, type Logger } from "../../../server/src/engine/analysis/engine";
import type { Finding, Fix, Position } from "../../../server/src/engine/findings";
import { defaultEngineSettings, type EngineSettings } from "../../../server/src/engine/settings";

export type Files = Record<string, string | Buffer>;

/** `lib: ES2022` keeps the DOM typings out: each engine parses its libs afresh, and DOM is the slow part. */
export const defaultTsconfig = JSON.stringify({
  compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, skipLibCheck: true, lib: ["ES2022"] },
});

const tempDirs: string[] = [];

/** A fresh folder under os.tmpdir(), by its real path: TypeScript reports real paths, and /tmp may be a link. */
export function makeTempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-test-")));
  tempDirs.push(dir);
  return dir;
}

/** Call from `afterEach`/`after` in every test file that writes workspaces. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(root: string, files: Files): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export interface LogEntry {
  level: "info" | "warn" | "error";
  message: string;
}

export interface Analysis {
  root: string;
  engine: Engine;
  findings: Finding[];
  logs: LogEntry[];
  /** Absolute, normalized path of a workspace-relative file. */
  pathOf(relative: string): string;
  findingsIn(relative: string, ruleId?: string): Finding[];
  /** The source text a finding's range covers. */
  textOf(finding: Finding): string;
}

export interface AnalyzeOptions {
  settings?: Partial<EngineSettings>;
  /** Written as tsconfig.json unless the files bring their own; `false` leaves the files loose (inferred project). */
  tsconfig?: string | false;
  /** Runs after the workspace is discovered and before it is analyzed. */
  beforeAnalysis?: (engine: Engine, root: string) => void;
  /** By default an `error` log (a rule that threw) fails the test: "no findings" must not mean "crashed". */
  allowErrorLogs?: boolean;
}

export async function analyze(files: Files, options: AnalyzeOptions = {}): Promise<Analysis> {
  const root = makeTempDir();
  const tsconfig = options.tsconfig ?? defaultTsconfig;
  writeFiles(root, tsconfig === false || "tsconfig.json" in files ? files : { "tsconfig.json": tsconfig, ...files });
  return analyzeFolder(root, options);
}

export async function analyzeFolder(root: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const logs: LogEntry[] = [];
  const logger: Logger = {
    info: (message) => logs.push({ level: "info", message }),
    warn: (message) => logs.push({ level: "warn", message }),
    error: (message) => logs.push({ level: "error", message }),
  };
  const engine = new Engine({ ...defaultEngineSettings, ...options.settings }, logger);
  engine.workspace.addFolder(root);
  options.beforeAnalysis?.(engine, root);
  await engine.analyzeAll();
  const errors = logs.filter((entry) => entry.level === "error");
  if (errors.length > 0 && !options.allowErrorLogs) throw new Error(`the engine logged errors:\n${errors.map((entry) => entry.message).join("\n")}`);
  const findings = engine.allFindings();
  const pathOf = (relative: string) => path.posix.join(root.replace(/\\/g, "/"), relative);
  return {
    root,
    engine,
    findings,
    logs,
    pathOf,
    findingsIn: (relative, ruleId) => findings.filter((finding) => finding.file === pathOf(relative) && (ruleId === undefined || finding.ruleId === ruleId)),
    textOf: (finding) => {
      const text = engine.workspace.documents.read(finding.file) ?? "";
      return text.slice(offsetOf(text, finding.range.start), offsetOf(text, finding.range.end));
    },
  };
}

export function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset = text.indexOf("\n", offset) + 1;
  return offset + position.character;
}

/** The file's text after a fix, which is how a user judges a fix. Fixes here only ever edit one file. */
export function applyFix(text: string, fix: Fix): string {
  const edits = fix.changes.flatMap((change) => change.edits).map((edit) => ({ start: offsetOf(text, edit.range.start), end: offsetOf(text, edit.range.end), newText: edit.newText }));
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  for (const edit of edits) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  return text;
}
