/**
 * What one policy file says (a layer), and what a chain of them says once merged, with the
 * position of every setting so decisions can name the line that produced them.
 */
import type { SeveritySetting } from "../findings";
import type { ArchitectureLayer, Autofix, ContractDeclaration, PolicyException, PolicyOrigin, ProtectedPaths } from "./model";

export interface Located<T> {
  value: T;
  origin: PolicyOrigin;
}

export interface LocatedGlobs {
  globs: string[];
  /** The folder the globs are relative to. */
  root: string;
  /** The key (`include`, `rules.x.paths`). */
  origin: PolicyOrigin;
  /** One per glob, for the decision that names the glob that matched. */
  itemOrigins: PolicyOrigin[];
}

export interface RuleEntry {
  severity?: Located<SeveritySetting>;
  autofix?: Located<Autofix>;
  paths?: LocatedGlobs;
  options?: Located<Readonly<Record<string, unknown>>>;
}

export interface PolicySettings {
  include?: LocatedGlobs;
  exclude?: LocatedGlobs;
  rules: ReadonlyMap<string, RuleEntry>;
  protected: readonly ProtectedPaths[];
  exceptions: readonly PolicyException[];
  limits: { maxFilesPerChange?: Located<number>; maxLinesPerChange?: Located<number> };
  verify: { typecheck?: Located<boolean>; command?: Located<string>; timeoutSeconds?: Located<number> };
  /** Absolute. */
  ledgerPath?: Located<string>;
  contracts: readonly ContractDeclaration[];
  layers: readonly ArchitectureLayer[];
}

export function emptySettings(): PolicySettings {
  return { rules: new Map(), protected: [], exceptions: [], limits: {}, verify: {}, contracts: [], layers: [] };
}

/**
 * The child over its parent: rule entries merge field by field (options key by key), scalar
 * keys of include/exclude/limits/verify/ledger are the child's where it sets them, and lists
 * that restrict or declare (protected, exceptions, contracts, layers) add up, so an extending
 * policy can never drop a protected path.
 */
export function mergeSettings(parent: PolicySettings, child: PolicySettings): PolicySettings {
  const rules = new Map(parent.rules);
  for (const [id, entry] of child.rules) {
    const inherited = rules.get(id);
    rules.set(id, {
      severity: entry.severity ?? inherited?.severity,
      autofix: entry.autofix ?? inherited?.autofix,
      paths: entry.paths ?? inherited?.paths,
      options: entry.options && inherited?.options ? { value: { ...inherited.options.value, ...entry.options.value }, origin: entry.options.origin } : (entry.options ?? inherited?.options),
    });
  }
  return {
    include: child.include ?? parent.include,
    exclude: child.exclude ?? parent.exclude,
    rules,
    protected: concatOnce(parent.protected, child.protected),
    exceptions: concatOnce(parent.exceptions, child.exceptions),
    limits: {
      maxFilesPerChange: child.limits.maxFilesPerChange ?? parent.limits.maxFilesPerChange,
      maxLinesPerChange: child.limits.maxLinesPerChange ?? parent.limits.maxLinesPerChange,
    },
    verify: {
      typecheck: child.verify.typecheck ?? parent.verify.typecheck,
      command: child.verify.command ?? parent.verify.command,
      timeoutSeconds: child.verify.timeoutSeconds ?? parent.verify.timeoutSeconds,
    },
    ledgerPath: child.ledgerPath ?? parent.ledgerPath,
    contracts: concatOnce(parent.contracts, child.contracts),
    layers: concatOnce(parent.layers, child.layers),
  };
}

/** A file reached twice through `extends` (a diamond) contributes its entries once. */
function concatOnce<T extends { origin: PolicyOrigin }>(first: readonly T[], second: readonly T[]): T[] {
  const key = (item: T) => `${item.origin.file}:${item.origin.line}:${item.origin.character}`;
  const seen = new Set(first.map(key));
  return [...first, ...second.filter((item) => !seen.has(key(item)))];
}
