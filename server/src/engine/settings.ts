import type { Severity, SeveritySetting } from "./findings";

/** What the engine needs to know from the user; the LSP server and the CLI both fill it in. */
export interface EngineSettings {
  /** Files larger than this are parsed for types but not analyzed (generated bundles). */
  maxFileSizeKB: number;
  typeAware: boolean;
  /** Per rule id; an absent id keeps the rule's default severity. */
  rules: Record<string, SeveritySetting>;
}

export const defaultEngineSettings: EngineSettings = { maxFileSizeKB: 1024, typeAware: true, rules: {} };

export function effectiveSeverity(settings: EngineSettings, ruleId: string, defaultSeverity: Severity): SeveritySetting {
  return settings.rules[ruleId] ?? defaultSeverity;
}
