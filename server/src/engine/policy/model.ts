/**
 * The policy's vocabulary, shared by the loader, the decider, the language server and the CLI.
 * A policy is `.selfheal/policy.yaml` in a folder (its *root*: globs are relative to it); the
 * nearest one above a file applies. See docs/policy.md for the file format and the semantics.
 */
import type { Range, SeveritySetting } from "../findings";

/** What automation may do with a fix: apply on its own, only after a human's review, never, or not even offer it. */
export type Autofix = "auto" | "review" | "deny" | "off";

/** A decision's outcome, ordered from the most to the least permissive. */
export type Outcome = "auto" | "review" | "deny";

export const outcomeRank: Record<Outcome, number> = { auto: 0, review: 1, deny: 2 };

/** The line of a policy file that produced a setting or a decision. */
export interface PolicyOrigin {
  /** Absolute path of the policy file (a bundled policy's path inside `policies/`). */
  file: string;
  /** 0-based, like every position in the engine; the CLI prints 1-based. */
  line: number;
  character: number;
  /** Dotted key path of the entry, e.g. `rules.no-explicit-any.autofix` or `protected[0]`. */
  key: string;
}

/** A change automation proposes; the decider says whether it may land. */
export interface ProposedChange {
  ruleId: string;
  /** Absolute, normalized paths of every file the change edits. */
  files: string[];
  /** Lines added plus lines removed, over all files. */
  linesTouched: number;
}

export interface DecisionReason {
  /** What this reason alone would decide. */
  outcome: Outcome;
  /** A full sentence a developer understands without the policy open, e.g. "src/billing/** is protected: PCI scope (owner: @payments)". */
  message: string;
  /** Absent only for built-in defaults (no policy says anything about this change). */
  origin?: PolicyOrigin;
}

export interface Decision {
  /** The most restrictive outcome among the reasons. */
  outcome: Outcome;
  /** False when the rule's autofix is `off`: the fix is not listed at all (a denied one is listed, disabled). */
  offered: boolean;
  /** Every reason that applied, the deciding (most restrictive) first. Never empty. */
  reasons: DecisionReason[];
}

/** How a rule runs in one file, and which policy lines say so. */
export interface RuleConfig {
  severity: SeveritySetting;
  severityOrigin?: PolicyOrigin;
  options: Readonly<Record<string, unknown>>;
  optionsOrigin?: PolicyOrigin;
  autofix: Autofix;
  autofixOrigin?: PolicyOrigin;
}

/** An `exceptions` entry: the rule's findings in these paths are accepted until `expires`. */
export interface PolicyException {
  paths: string[];
  ruleId: string;
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`; the exception holds through that day (UTC). */
  expires: string;
  /** The folder `paths` are relative to: the root of the policy that wrote the exception. */
  root: string;
  origin: PolicyOrigin;
}

/** A `protected` entry: automation may not change these paths (`deny`), or only after a human's review. */
export interface ProtectedPaths {
  paths: string[];
  autofix: "deny" | "review";
  reason: string;
  owner?: string;
  /** The folder `paths` are relative to: the root of the policy that wrote the entry. */
  root: string;
  origin: PolicyOrigin;
}

/** A TypeScript type that must stay in step with a JSON Schema file. */
export interface ContractMirror {
  /** As written: `src/user.ts#User`. */
  type: string;
  /** Absolute path of the module that declares the type. */
  file: string;
  typeName: string;
  /** Absolute path of the schema file. */
  schema: string;
  origin: PolicyOrigin;
}

/** A `contracts` entry; every path is absolute and checked to be inside the workspace folder. */
export interface ContractDeclaration {
  name: string;
  /** The module whose exports are the contract; exactly one of `entry` and `schema` is set. */
  entry?: string;
  /** The JSON Schema file that is the contract. */
  schema?: string;
  /** The severity of a breaking change (`off`: breaks are not reported). */
  breaking: SeveritySetting;
  /** Where the accepted baseline lives (default `<root>/.selfheal/contracts/<name>.json`). */
  baseline: string;
  mirrors: ContractMirror[];
  origin: PolicyOrigin;
}

/** An `architecture.layers` entry: a named group of files and the layers they may import. */
export interface ArchitectureLayer {
  name: string;
  paths: string[];
  /** Names of other layers (all defined: the loader checks); a layer may always import itself. */
  mayImport: string[];
  /** The folder `paths` are relative to: the root of the policy that wrote the layer. */
  root: string;
  origin: PolicyOrigin;
}

export interface VerifySettings {
  typecheck: boolean;
  /** A shell command from the workspace: runs only in a trusted workspace. */
  command?: { text: string; origin: PolicyOrigin };
  timeoutSeconds: number;
}

export interface PolicyLimits {
  maxFilesPerChange?: { value: number; origin: PolicyOrigin };
  maxLinesPerChange?: { value: number; origin: PolicyOrigin };
}

/**
 * Stable ids of the messages about a policy file itself (documented in docs/messages.md).
 * Every one but `policy-exception-expired` is an error and makes the policy broken.
 */
export type PolicyMessageId =
  | "policy-syntax" // YAML that does not parse
  | "policy-too-large" // over the size or alias limit: refused before parsing deeper
  | "policy-unknown-key" // a key the schema does not know (with "did you mean")
  | "policy-invalid-value" // wrong type, out of range, not one of the allowed values
  | "policy-unknown-rule" // a rule id that no rule has
  | "policy-bad-glob" // a glob minimatch cannot compile, or an absolute / `..` one
  | "policy-extends" // extends: missing file, cycle, unknown bundled name
  | "policy-path-outside" // a path that resolves outside the workspace folder (`..`, absolute, symlink out)
  | "policy-exception-expired"; // an exception past its `expires` date (a warning; the exception stops applying)

export interface PolicyProblem {
  id: PolicyMessageId;
  /** The policy file the problem is in (for `extends`, the file that names the broken one). */
  file: string;
  range: Range;
  severity: "error" | "warning";
  message: string;
}
