/**
 * The contracts of a workspace: those its policies declare (`contracts:`), then every package
 * entry point no declared contract already covers. A discovered contract's baseline lives in the
 * `.selfheal/contracts/` of the policy that governs its package, or of the workspace folder.
 */
import * as path from "node:path";
import type { SeveritySetting } from "../findings";
import type { CompiledPolicy } from "../policy/compiled";
import type { ContractMirror, PolicyOrigin } from "../policy/model";
import { isUnder, normalizePath } from "../workspace/paths";
import { contractNameOf, nodePackageHost, type PackageEntry, type PackageHost } from "./packages";

export interface ContractTarget {
  name: string;
  kind: "api" | "schema";
  /** Absolute: the entry module (api) or the schema file (schema). */
  file: string;
  /** Absolute path of the baseline file. */
  baseline: string;
  /** The folder the baseline's paths are relative to: the one that holds `.selfheal/`. */
  root: string;
  /** The package it belongs to: its package.json gives the version, its node_modules the dependencies. */
  packageRoot?: string;
  packageName?: string;
  /** The severity of a break ("off": breaks are not reported). */
  breaking: SeveritySetting;
  /** Declared in a policy (a missing baseline is an error), or found as a package entry point (a missing baseline means "not registered yet"). */
  declared: boolean;
  origin?: PolicyOrigin;
  mirrors: readonly ContractMirror[];
  /** For a discovered one: the package.json field it came from. */
  via?: string;
}

export interface TargetsInput {
  /** The workspace folder (absolute). */
  folder: string;
  /** Every policy of the workspace (each with its root). */
  policies: readonly CompiledPolicy[];
  packages: readonly PackageEntry[];
  host?: PackageHost;
}

export interface TargetsResult {
  targets: ContractTarget[];
  /** Package entry points that could not be used (no TypeScript found for them). */
  skipped: Array<{ entry: PackageEntry; reason: string }>;
}

export function contractTargets(input: TargetsInput): TargetsResult {
  const host = input.host ?? nodePackageHost;
  const targets: ContractTarget[] = [];
  const skipped: TargetsResult["skipped"] = [];
  const names = new Set<string>();
  const seenBaselines = new Set<string>();
  for (const policy of [...input.policies].sort((a, b) => a.root.localeCompare(b.root))) {
    for (const contract of policy.contracts) {
      // A policy that extends another sees the other's contracts too: each counts once.
      if (seenBaselines.has(contract.baseline)) continue;
      seenBaselines.add(contract.baseline);
      const file = contract.entry ?? contract.schema!;
      const packageJson = nearestPackageJson(file, input.folder, host);
      targets.push({
        name: contract.name,
        kind: contract.entry ? "api" : "schema",
        file,
        baseline: contract.baseline,
        root: rootOf(contract.baseline),
        ...(packageJson ? { packageRoot: path.posix.dirname(packageJson), packageName: packageNameOf(packageJson, host) } : {}),
        breaking: contract.breaking,
        declared: true,
        origin: contract.origin,
        mirrors: contract.mirrors,
      });
      names.add(contract.name);
    }
  }
  const declaredFiles = new Set(targets.map((target) => target.file));
  for (const entry of input.packages) {
    if (!entry.entryFile) {
      skipped.push({ entry, reason: entry.problem ?? "no entry file" });
      continue;
    }
    if (declaredFiles.has(entry.entryFile)) continue;
    // Two sub-paths can make the same name (`./v4-mini` and `./v4/mini`); the later one, in package order, is numbered.
    const base = contractNameOf(entry.packageName, entry.subpath);
    let name = base;
    for (let suffix = 2; names.has(name); suffix++) name = `${base}-${suffix}`;
    names.add(name);
    declaredFiles.add(entry.entryFile);
    const root = governingRoot(entry.packageRoot, input);
    targets.push({
      name,
      kind: "api",
      file: entry.entryFile,
      baseline: `${root}/.selfheal/contracts/${name}.json`,
      root,
      packageRoot: entry.packageRoot,
      packageName: entry.packageName,
      breaking: "error",
      declared: false,
      mirrors: [],
      via: `${entry.packageName} ${entry.origin}`,
    });
  }
  return { targets, skipped };
}

/** `<root>/.selfheal/contracts/x.json` → `<root>`; a baseline elsewhere is relative to its own folder. */
function rootOf(baseline: string): string {
  const match = /^(.*)\/\.selfheal\/contracts\/[^/]+$/.exec(baseline);
  return match ? match[1] : path.posix.dirname(baseline);
}

/** The deepest policy root above the package, else the workspace folder. */
function governingRoot(packageRoot: string, input: TargetsInput): string {
  const roots = input.policies.map((policy) => normalizePath(policy.root)).filter((root) => isUnder(packageRoot, root) && isUnder(root, input.folder));
  return roots.sort((a, b) => b.length - a.length)[0] ?? normalizePath(input.folder);
}

export function nearestPackageJson(file: string, stopAt: string, host: PackageHost = nodePackageHost): string | undefined {
  const limit = normalizePath(stopAt);
  for (let folder = path.posix.dirname(normalizePath(file)); isUnder(folder, limit); folder = path.posix.dirname(folder)) {
    const candidate = `${folder}/package.json`;
    if (host.fileExists(candidate)) return candidate;
    if (folder === limit || path.posix.dirname(folder) === folder) break;
  }
  return undefined;
}

function packageNameOf(packageJson: string, host: PackageHost): string | undefined {
  try {
    const manifest = JSON.parse(host.readFile(packageJson) ?? "") as { name?: unknown };
    return typeof manifest.name === "string" ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

/** The version in a package.json, or "0.0.0" (also for a missing or unreadable one). */
export function packageVersion(packageRoot: string | undefined, host: PackageHost = nodePackageHost): string {
  if (!packageRoot) return "0.0.0";
  try {
    const manifest = JSON.parse(host.readFile(`${packageRoot}/package.json`) ?? "") as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
