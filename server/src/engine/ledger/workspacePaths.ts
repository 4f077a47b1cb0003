/**
 * Paths the ledger names are workspace-relative. A ledger is just a file in the workspace, and a
 * crafted one must not make a rollback write outside it, so every path is checked twice: its
 * spelling (here, pure) and, before writing, where it really leads (`resolveInside`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LedgerError } from "./ledgerError";

export const defaultLedgerPath = ".selfheal/ledger.jsonl";

export interface LedgerLocation {
  /** The workspace folder, absolute. */
  root: string;
  ledgerFile: string;
  lockFile: string;
  /** Intents (changes being written) live beside the ledger. */
  intentsDir: string;
}

/** Where the ledger of a workspace folder lives; `ledgerPath` is the policy's `ledger.path`, relative to the folder. */
export function ledgerLocation(workspaceRoot: string, ledgerPath = defaultLedgerPath): LedgerLocation {
  checkWorkspacePath(ledgerPath, "the ledger path");
  const root = path.resolve(workspaceRoot);
  const ledgerFile = path.join(root, ledgerPath);
  return { root, ledgerFile, lockFile: lockFileOf(ledgerFile), intentsDir: path.join(path.dirname(ledgerFile), "intents") };
}

export function lockFileOf(ledgerFile: string): string {
  return `${ledgerFile}.lock`;
}

/** Throws unless `relative` is a plain workspace-relative path: forward slashes, no `.`/`..` segments, nothing a patch header cannot carry. */
export function checkWorkspacePath(relative: string, what = "a file path"): void {
  const problem =
    typeof relative !== "string" || relative === ""
      ? "is empty"
      : relative.startsWith("/") || /^[A-Za-z]:/.test(relative)
        ? "is absolute"
        : relative.includes("\\")
          ? "has a backslash (the ledger uses forward slashes)"
          : /[\u0000-\u001f\u007f]/.test(relative)
            ? "has a control character"
            : relative.split("/").some((segment) => segment === "" || segment === "." || segment === "..")
              ? "has an empty, `.` or `..` segment"
              : undefined;
  if (problem !== undefined) throw new LedgerError("ledger-path-outside", `${what} ${JSON.stringify(relative)} ${problem}; it must stay inside the workspace`);
}

/** The absolute path of a workspace-relative file, refusing one whose existing parts lead outside the workspace through a symlink. */
export function resolveInside(root: string, relative: string): string {
  checkWorkspacePath(relative);
  const realRoot = fs.realpathSync(root);
  const target = path.join(realRoot, relative);
  // The deepest part that exists decides where the path really goes.
  // lstat, not exists: a dangling symlink exists, and writing through it would create its target.
  let existing = target;
  while (!lexists(existing) && existing !== realRoot) existing = path.dirname(existing);
  let real: string;
  try {
    real = fs.realpathSync(existing);
  } catch {
    throw new LedgerError("ledger-path-outside", `${relative} goes through a dangling symlink (${path.relative(realRoot, existing)})`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new LedgerError("ledger-path-outside", `${relative} leads outside the workspace (through ${path.relative(realRoot, existing) || "."} -> ${real})`);
  }
  return target;
}

function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
