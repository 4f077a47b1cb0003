/**
 * Running a policy's `verify.command` against the change before it lands: in a scratch copy of
 * the workspace folder with the plan applied, so the user's files are never touched (a failing
 * test run leaves nothing to undo) and the command sees exactly the planned state.
 *
 * The copy leaves out `.git`, `dist` and `out` (build output the command rebuilds if it needs
 * it) and links `node_modules` instead of copying it (dependencies are read, not changed, and
 * copying them would dominate the cost). The command runs through the shell in its own process
 * group; on timeout the whole group is sent SIGTERM and, a moment later, SIGKILL, so a test
 * runner's workers do not outlive it.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CommandEvidence } from "../ledger/entry";
import type { PolicyOrigin } from "../policy/model";

export interface CommandRun extends CommandEvidence {
  /** The command ran past its timeout and was killed (exitCode is then null). */
  timedOut?: boolean;
  /** The limit it ran under. */
  timeoutSeconds?: number;
  /** The last lines of its output (stdout and stderr interleaved), for the message when it fails. */
  outputTail?: string;
  /** The policy line that names the command. */
  origin?: PolicyOrigin;
}

export interface ScratchCommand {
  text: string;
  /** Absolute path in the real workspace; the command runs at the same place in the copy. */
  cwd: string;
  timeoutSeconds: number;
  origin?: PolicyOrigin;
}

export interface ScratchOptions {
  /** Where the copy is made (default: the system's temp folder). */
  parent?: string;
  /** Extra environment for the command. */
  env?: Record<string, string>;
}

const skippedFolders = new Set([".git", "dist", "out"]);
const linkedFolders = new Set(["node_modules"]);
const outputTailBytes = 4000;
/** Between SIGTERM and SIGKILL: long enough for a test runner to stop its workers. */
const killGraceMs = 2000;

/** Copies `root` with the files' new texts and runs each command there, one after another; the copy is removed afterwards. */
export async function runInScratchCopy(
  root: string,
  files: ReadonlyArray<{ relativePath: string; after: string }>,
  commands: readonly ScratchCommand[],
  options: ScratchOptions = {},
): Promise<CommandRun[]> {
  const scratch = fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), "selfheal-verify-"));
  try {
    const copy = path.join(scratch, path.basename(root) || "workspace");
    copyWorkspace(root, copy);
    for (const file of files) {
      const target = path.join(copy, file.relativePath);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.after);
    }
    const runs: CommandRun[] = [];
    for (const command of commands) {
      const relative = path.relative(root, command.cwd);
      const cwd = relative.startsWith("..") || path.isAbsolute(relative) ? copy : path.join(copy, relative);
      runs.push({ ...(await runCommand(command.text, cwd, command.timeoutSeconds, options.env ?? {})), ...(command.origin ? { origin: command.origin } : {}) });
    }
    return runs;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function copyWorkspace(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory() && skippedFolders.has(entry.name)) continue;
    if (linkedFolders.has(entry.name)) fs.symlinkSync(from, to, "junction");
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (entry.isDirectory()) copyWorkspace(from, to);
    else if (entry.isFile()) fs.copyFileSync(from, to);
    // Sockets, FIFOs and devices are not workspace content.
  }
}

export function runCommand(command: string, cwd: string, timeoutSeconds: number, env: Record<string, string> = {}): Promise<CommandRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const windows = process.platform === "win32";
    const child = spawn(command, { cwd, shell: true, detached: !windows, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env }, windowsHide: true });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-outputTailBytes);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGTERM", windows);
      killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL", windows), killGraceMs);
    }, timeoutSeconds * 1000);
    let exitCode: number | null = null;
    let settled = false;
    const finish = (spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      const durationMs = Math.round(performance.now() - started);
      const tail = spawnError ? `${output}${spawnError.message}` : output;
      resolve({ command, exitCode: timedOut ? null : exitCode, durationMs, timeoutSeconds, ...(timedOut ? { timedOut: true } : {}), ...(tail.trim() ? { outputTail: tail.trimEnd() } : {}) });
    };
    child.on("error", (error) => finish(error));
    child.on("exit", (code, signal) => {
      exitCode = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : null);
      // The shell is gone; whatever it left running in its group goes too (it would hold the scratch folder and the output pipes).
      if (!windows) killGroup(child.pid, "SIGKILL", windows);
      // 'close' follows once the pipes are drained; a process that left the group could hold them open forever.
      setTimeout(() => finish(), 1000);
    });
    child.on("close", () => finish());
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals, windows: boolean): void {
  if (pid === undefined) return;
  try {
    if (windows) spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore" });
    else process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
