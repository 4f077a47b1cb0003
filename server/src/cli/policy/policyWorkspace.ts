/**
 * What the `selfheal policy` subcommands share: finding the workspace folder a PATH belongs to,
 * discovering its policies the way the engine does, and printing paths and policy lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { bundledPoliciesFolder } from "../../engine/policy/bundledFolder";
import { nodePolicyHost, policyFileName, type PolicyHost } from "../../engine/policy/host";
import type { PolicyOrigin } from "../../engine/policy/model";
import { PolicySet } from "../../engine/policy/policySet";
import { discoverWorkspace } from "../../engine/workspace/discovery";
import { isUnder, normalizePath } from "../../engine/workspace/paths";
import { UsageError } from "../args";

export interface PolicyTarget {
  /** Absolute, normalized. */
  path: string;
  kind: "folder" | "file";
  /**
   * The folder every path a policy names must stay inside (`policy-path-outside`): the current
   * folder when PATH is inside it, so a package policy may extend the repository's; otherwise
   * PATH itself, or for a file the highest folder above it that holds a policy.
   */
  workspaceFolder: string;
}

export function resolveTarget(written: string | undefined, cwd: string, accept: "folder-or-file" | "file"): PolicyTarget {
  const target = normalizePath(path.resolve(cwd, written ?? "."));
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  if (accept === "folder-or-file" && !stat) throw new UsageError(`no such file or folder: ${written ?? target}`);
  if (accept === "file" && stat?.isDirectory()) throw new UsageError(`${written} is a folder: explain takes a file`);
  const kind = stat?.isDirectory() ? "folder" : "file";
  const here = normalizePath(cwd);
  const workspaceFolder = isUnder(target, here) ? here : kind === "folder" ? target : highestPolicyRootAbove(target);
  return { path: target, kind, workspaceFolder };
}

function highestPolicyRootAbove(file: string): string {
  let highest = path.posix.dirname(file);
  for (let folder = highest; ; folder = path.posix.dirname(folder)) {
    if (fs.existsSync(path.posix.join(folder, policyFileName))) highest = folder;
    if (path.posix.dirname(folder) === folder) return highest;
  }
}

/** The policy files under `folder`, found by the engine's own walk (same skipped folders, same symlink rules). */
export function discoverPolicyFiles(folder: string): string[] {
  return discoverWorkspace(folder).policyFiles;
}

/** Every policy of the workspace folder, loaded as the engine loads them; the CLI is trusted, as in CI. */
export function loadPolicySet(workspaceFolder: string, policyFiles: readonly string[], host: PolicyHost = nodePolicyHost): PolicySet {
  const policies = new PolicySet(host);
  policies.trusted = true;
  policies.load([workspaceFolder], policyFiles);
  return policies;
}

/** A host that reads the disk but lives on `day` (noon UTC), for suites that pin their date. */
export function hostOn(day: string): PolicyHost {
  const now = new Date(`${day}T12:00:00Z`);
  return { ...nodePolicyHost, now: () => new Date(now) };
}

/** How the CLI prints a path: relative to the current folder, or `bundled strict.yaml` for a shipped policy. */
export function displayFile(file: string, cwd: string): string {
  const bundled = normalizePath(bundledPoliciesFolder());
  if (isUnder(file, bundled)) return `bundled ${path.posix.relative(bundled, file)}`;
  const relative = path.posix.relative(normalizePath(cwd), file);
  return relative === "" ? "." : relative;
}

/** `file:line` (1-based) of a policy setting. */
export function displayOrigin(origin: PolicyOrigin, cwd: string): string {
  return `${displayFile(origin.file, cwd)}:${origin.line + 1}`;
}

/** An origin as the JSON output carries it: 1-based, the file relative to the current folder. */
export function jsonOrigin(origin: PolicyOrigin | undefined, cwd: string): { file: string; line: number; column: number; key: string } | undefined {
  return origin && { file: displayFile(origin.file, cwd), line: origin.line + 1, column: origin.character + 1, key: origin.key };
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
