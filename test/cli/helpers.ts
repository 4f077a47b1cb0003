/** Runs the built CLI (dist/selfheal.js) as a child process, the way CI and users run it. */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { contractsCommand } from "../../server/src/cli/contractsCommand";
import { makeTempDir } from "../unit/helpers/workspace";

export const repoRoot = path.resolve(__dirname, "../../..");
export const cliPath = path.join(repoRoot, "dist", "selfheal.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before the CLI tests`);
  // NO_COLOR and a non-TTY stdout both keep escape codes out; unset it so the test sees the default.
  const env = { ...process.env };
  delete env.NO_COLOR;
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: "utf8", env, timeout: 120_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
}

/** A copy of a fixture folder (from test/fixtures/cli, or a repo-relative path) in a fresh temp dir. */
export function copyFixture(name: string): string {
  const source = name.includes("/") ? path.join(repoRoot, name) : path.join(repoRoot, "test", "fixtures", "cli", name);
  const target = path.join(makeTempDir(), path.basename(source));
  fs.cpSync(source, target, { recursive: true });
  return target;
}

export const demoService = "examples/demo-service";

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `selfheal contracts …` called in process, the way main() calls it, with its output collected. */
export async function runContracts(args: string[], cwd: string): Promise<InProcessRun> {
  let stdout = "";
  let stderr = "";
  const code = await contractsCommand(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false, version: "9.9.9" }, cwd);
  return { code, stdout, stderr };
}

/** The tsconfig of the contract tests' packages: declarations from src/ to dist/, so `exports` can point at build output that does not exist yet. */
export const packageTsconfig = JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, outDir: "dist", rootDir: "src", declaration: true, skipLibCheck: true, lib: ["ES2022"] }, include: ["src"] });
