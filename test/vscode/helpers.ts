import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as vscode from "vscode";

export const extensionId = "selfheal.self-healing-code";

/** What `activate()` returns, as far as the tests need it (the client project is not referenced from here). */
export interface ServerHandleLike {
  isRunning(): boolean;
  describeState(): string;
}

/**
 * Polls `probe` until it returns something truthy. The machines are slow and shared, so the
 * limits are generous; a timeout names what never happened and what was seen last.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  { timeoutMs = 30_000, describe }: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}${describe ? `; last seen: ${describe()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function activateExtension(): Promise<ServerHandleLike> {
  const extension = vscode.extensions.getExtension<ServerHandleLike>(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  return extension.activate();
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder is open");
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** The rule id: our diagnostics carry a docs link, which turns `code` into `{ value, target }`. */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === "object" && code !== null ? code.value : code);
}

export function selfhealDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === "selfheal");
}

/** Every selfheal diagnostic in the workspace as sorted "file:line rule" strings (lines 1-based, like the CLI). */
export function allFindings(): string[] {
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === "selfheal").map((d) => `${relativePath(uri)}:${d.range.start.line + 1} ${ruleOf(d)}`))
    .sort();
}

/** Findings the suites rely on (lines 1-based), from the example as shipped. */
export const knownFindings = [
  "src/domain/order.ts:22 no-explicit-any",
  "src/http/routes.ts:17 floating-promise",
  "src/infra/database.ts:14 no-explicit-any",
  "src/services/notifications.ts:2 import-cycle",
  "src/services/orderService.ts:12 floating-promise",
  "src/services/orderService.ts:13 floating-promise",
  "src/services/orderService.ts:3 import-cycle",
];

interface CliFinding {
  rule: string;
  file: string;
  line: number;
  severity: string;
}

let cliReport: CliFinding[] | undefined;

/**
 * What the packaged CLI (`selfheal check --format json`) reports for the workspace on disk. The
 * editor must show exactly the same: one engine behind both. Asking the CLI, rather than a list
 * written here, keeps the suite right when rules are added.
 */
export function cliFindings(): CliFinding[] {
  if (cliReport) return cliReport;
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is not installed`);
  const cli = path.join(extension.extensionPath, "dist/selfheal.js");
  const folder = workspaceUri(".").fsPath;
  // Under @vscode/test-electron, execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
  const output = execFileSync(process.execPath, [cli, "check", folder, "--format", "json", "--fail-on", "never"], {
    encoding: "utf8",
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  cliReport = (JSON.parse(output) as { findings: CliFinding[] }).findings;
  return cliReport;
}

export function expectedFindings(): string[] {
  return cliFindings()
    .map((finding) => `${finding.file}:${finding.line} ${finding.rule}`)
    .sort();
}

/** Waits until the editor shows the example's findings, no more and no less: the state every suite starts from. */
export function waitForExampleFindings(timeoutMs = 45_000): Promise<true> {
  const expected = JSON.stringify(expectedFindings());
  return waitFor("the same findings as the CLI", () => JSON.stringify(allFindings()) === expected, {
    timeoutMs,
    describe: () => `expected ${expected}, got ${JSON.stringify(allFindings())}`,
  });
}

/** Tests edit buffers without saving: revert them so the next test starts from the example as shipped. */
export async function revertAllDirty(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty)) await revertAndClose(document);
}

export async function revertAndClose(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
}
