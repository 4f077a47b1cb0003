/**
 * A policy ready to answer questions fast: every glob is compiled to a regular expression once,
 * so a decision is a handful of regex tests (code actions ask for one per listed fix).
 */
import * as path from "node:path";
import type { SeveritySetting } from "../findings";
import { decideChange, type AutofixSetting, type DecisionContext, type ScopeVerdict } from "./decide";
import { compileGlobs, relativizer, type GlobMatcher } from "./globs";
import { utcDay } from "./layer";
import type { ArchitectureLayer, ContractDeclaration, Decision, PolicyException, PolicyLimits, PolicyOrigin, ProposedChange, ProtectedPaths, RuleConfig, VerifySettings } from "./model";
import type { PolicySettings, RuleEntry } from "./settings";

export interface CompiledPolicy {
  readonly file: string;
  readonly root: string;
  /** This file, then every file it extends (bundled ones by their path in policies/). */
  readonly chain: readonly string[];
  /** Whether include/exclude let the file be analyzed and changed; with the deciding line. */
  scope(file: string): { inScope: boolean; origin?: PolicyOrigin };
  /** The rule's settings for a file; `fallback` (user settings or the rule's defaults) fills what the policy does not say. Autofix defaults to "review". */
  ruleConfig(file: string, ruleId: string, fallback: { severity: SeveritySetting; options: Readonly<Record<string, unknown>> }): RuleConfig;
  /** The unexpired exception covering this rule in this file, if any. */
  exceptionFor(file: string, ruleId: string, now: Date): PolicyException | undefined;
  /** auto | review | deny with every reason: the rule's autofix per file (`off` → offered false), protected paths, out-of-scope files (deny), limits (deny when exceeded). */
  decide(change: ProposedChange): Decision;
  readonly exceptions: readonly PolicyException[];
  readonly verify: VerifySettings;
  readonly limits: PolicyLimits;
  /** Absolute; the origin is absent for the default `.selfheal/ledger.jsonl`. */
  readonly ledgerPath: { path: string; origin?: PolicyOrigin };
  readonly contracts: readonly ContractDeclaration[];
  readonly architecture: { layers: readonly ArchitectureLayer[] };
  /** Every protected entry of the chain (an extending policy adds, never removes). */
  readonly protected: readonly ProtectedPaths[];
  /** The first layer whose paths match the file. */
  layerOf(file: string): ArchitectureLayer | undefined;
}

export interface CompileInput {
  file: string;
  root: string;
  chain: readonly string[];
  settings: PolicySettings;
}

export const defaultVerifyTimeoutSeconds = 120;

export function compilePolicy(input: CompileInput): CompiledPolicy {
  return new Compiled(input);
}

interface CompiledRule {
  entry: RuleEntry;
  paths?: GlobMatcher;
}

class Compiled implements CompiledPolicy {
  readonly file: string;
  readonly root: string;
  readonly chain: readonly string[];
  readonly exceptions: readonly PolicyException[];
  readonly verify: VerifySettings;
  readonly limits: PolicyLimits;
  readonly ledgerPath: { path: string; origin?: PolicyOrigin };
  readonly contracts: readonly ContractDeclaration[];
  readonly architecture: { layers: readonly ArchitectureLayer[] };
  readonly protected: readonly ProtectedPaths[];

  private readonly settings: PolicySettings;
  private readonly include?: GlobMatcher;
  private readonly exclude?: GlobMatcher;
  private readonly rules = new Map<string, CompiledRule>();
  private readonly exceptionMatchers: ReadonlyArray<{ exception: PolicyException; matcher: GlobMatcher }>;
  private readonly layerMatchers: ReadonlyArray<{ layer: ArchitectureLayer; matcher: GlobMatcher }>;
  private readonly decisionContext: DecisionContext;
  private readonly belowRoot: (file: string) => string | undefined;

  constructor({ file, root, chain, settings }: CompileInput) {
    this.file = file;
    this.root = root;
    this.chain = [...chain];
    this.settings = settings;
    this.belowRoot = relativizer(root);
    this.include = settings.include && compileGlobs(settings.include.globs, settings.include.root);
    this.exclude = settings.exclude && compileGlobs(settings.exclude.globs, settings.exclude.root);
    for (const [id, entry] of settings.rules) this.rules.set(id, { entry, paths: entry.paths && compileGlobs(entry.paths.globs, entry.paths.root) });
    this.exceptions = settings.exceptions;
    this.exceptionMatchers = settings.exceptions.map((exception) => ({ exception, matcher: compileGlobs(exception.paths, exception.root) }));
    this.protected = settings.protected;
    this.layerMatchers = settings.layers.map((layer) => ({ layer, matcher: compileGlobs(layer.paths, layer.root) }));
    this.verify = {
      typecheck: settings.verify.typecheck?.value ?? true,
      ...(settings.verify.command ? { command: { text: settings.verify.command.value, origin: settings.verify.command.origin } } : {}),
      timeoutSeconds: settings.verify.timeoutSeconds?.value ?? defaultVerifyTimeoutSeconds,
    };
    this.limits = {
      ...(settings.limits.maxFilesPerChange ? { maxFilesPerChange: { ...settings.limits.maxFilesPerChange } } : {}),
      ...(settings.limits.maxLinesPerChange ? { maxLinesPerChange: { ...settings.limits.maxLinesPerChange } } : {}),
    };
    this.ledgerPath = settings.ledgerPath ? { path: settings.ledgerPath.value, origin: settings.ledgerPath.origin } : { path: path.join(root, ".selfheal", "ledger.jsonl") };
    this.contracts = settings.contracts;
    this.architecture = { layers: settings.layers };
    this.decisionContext = {
      display: (target) => this.belowRoot(target) || target,
      scope: (target) => this.scopeVerdict(target),
      autofix: (target, ruleId) => this.autofixFor(target, ruleId),
      protectedEntries: settings.protected.map((entry) => {
        const matcher = compileGlobs(entry.paths, entry.root);
        return { entry, firstMatch: (target: string) => matcher.firstMatch(target) };
      }),
      limits: this.limits,
    };
  }

  scope(file: string): { inScope: boolean; origin?: PolicyOrigin } {
    const { inScope, origin } = this.scopeVerdict(file);
    return origin ? { inScope, origin } : { inScope };
  }

  private scopeVerdict(file: string): ScopeVerdict {
    if (this.belowRoot(file) === undefined) return { inScope: false, cause: { kind: "outside-root" } };
    const excluded = this.exclude?.firstMatch(file) ?? -1;
    if (excluded >= 0 && this.settings.exclude) {
      return { inScope: false, origin: this.settings.exclude.itemOrigins[excluded], cause: { kind: "excluded", glob: this.settings.exclude.globs[excluded] } };
    }
    if (!this.include || !this.settings.include) return { inScope: true };
    const included = this.include.firstMatch(file);
    if (included >= 0) return { inScope: true, origin: this.settings.include.itemOrigins[included] };
    return { inScope: false, origin: this.settings.include.origin, cause: { kind: "not-included", globs: this.settings.include.globs } };
  }

  ruleConfig(file: string, ruleId: string, fallback: { severity: SeveritySetting; options: Readonly<Record<string, unknown>> }): RuleConfig {
    const rule = this.rules.get(ruleId);
    if (!rule) return { severity: fallback.severity, options: fallback.options, autofix: "review" };
    const { entry } = rule;
    if (rule.paths && entry.paths && rule.paths.firstMatch(file) < 0) {
      return { severity: "off", severityOrigin: entry.paths.origin, options: fallback.options, autofix: "off", autofixOrigin: entry.paths.origin };
    }
    return {
      severity: entry.severity?.value ?? fallback.severity,
      ...(entry.severity ? { severityOrigin: entry.severity.origin } : {}),
      options: entry.options ? { ...fallback.options, ...entry.options.value } : fallback.options,
      ...(entry.options ? { optionsOrigin: entry.options.origin } : {}),
      autofix: entry.autofix?.value ?? "review",
      ...(entry.autofix ? { autofixOrigin: entry.autofix.origin } : {}),
    };
  }

  private autofixFor(file: string | undefined, ruleId: string): AutofixSetting {
    const rule = this.rules.get(ruleId);
    if (!rule) return { autofix: "review" };
    if (file !== undefined && rule.paths && rule.entry.paths && rule.paths.firstMatch(file) < 0) return { autofix: "off", origin: rule.entry.paths.origin, outsidePaths: true };
    return rule.entry.autofix ? { autofix: rule.entry.autofix.value, origin: rule.entry.autofix.origin } : { autofix: "review" };
  }

  exceptionFor(file: string, ruleId: string, now: Date): PolicyException | undefined {
    const today = utcDay(now);
    return this.exceptionMatchers.find(({ exception, matcher }) => exception.ruleId === ruleId && today <= exception.expires && matcher.firstMatch(file) >= 0)?.exception;
  }

  decide(change: ProposedChange): Decision {
    return decideChange(this.decisionContext, change);
  }

  layerOf(file: string): ArchitectureLayer | undefined {
    return this.layerMatchers.find(({ matcher }) => matcher.firstMatch(file) >= 0)?.layer;
  }
}
