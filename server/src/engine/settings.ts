import type { Severity, SeveritySetting } from "./findings";

/** One `selfheal.rules` entry: a severity, or a severity and the rule's options (thresholds). */
export type RuleSetting = SeveritySetting | { severity?: SeveritySetting; options?: Readonly<Record<string, unknown>> };

/** What the engine needs to know from the user; the LSP server and the CLI both fill it in. */
export interface EngineSettings {
  /** Files larger than this are parsed for types but not analyzed (generated bundles). */
  maxFileSizeKB: number;
  typeAware: boolean;
  /** Per rule id; an absent id (or an entry without `severity`) keeps the rule's default severity. */
  rules: Readonly<Record<string, RuleSetting>>;
}

export const defaultEngineSettings: EngineSettings = { maxFileSizeKB: 1024, typeAware: true, rules: {} };

const noOptions: Readonly<Record<string, unknown>> = Object.freeze({});

export function effectiveSeverity(settings: EngineSettings, ruleId: string, defaultSeverity: Severity): SeveritySetting {
  const setting = ruleSetting(settings, ruleId);
  return (typeof setting === "string" ? setting : setting?.severity) ?? defaultSeverity;
}

export function ruleOptions(settings: EngineSettings, ruleId: string): Readonly<Record<string, unknown>> {
  const setting = ruleSetting(settings, ruleId);
  return (typeof setting === "object" ? setting.options : undefined) ?? noOptions;
}

/** Own entries only: a rule id such as `constructor` must not find Object.prototype's. */
function ruleSetting(settings: EngineSettings, ruleId: string): RuleSetting | undefined {
  return Object.prototype.hasOwnProperty.call(settings.rules, ruleId) ? settings.rules[ruleId] : undefined;
}

/** Whether two settings would make rules compute different findings (severity aside, which applies at read time). */
export function sameRuleOptions(a: EngineSettings, b: EngineSettings): boolean {
  const ids = new Set([...Object.keys(a.rules), ...Object.keys(b.rules)]);
  return [...ids].every((id) => JSON.stringify(ruleOptions(a, id)) === JSON.stringify(ruleOptions(b, id)));
}
