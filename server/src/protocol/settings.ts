/**
 * The typed mirror of the `selfheal.*` settings in package.json. The client reads them from
 * VS Code; the server pulls them with `workspace/configuration` (or takes them from
 * `initializationOptions` in editors without it). Keep both in step with package.json.
 */
export type SeveritySetting = "error" | "warning" | "info" | "hint" | "off";

/** Option values a rule can take from JSON settings: thresholds, switches, names. */
export type RuleOptionValue = number | string | boolean | ReadonlyArray<number | string | boolean>;

/** A `selfheal.rules` entry: a severity, or `{ "severity": …, "options": { … } }`. */
export type RuleSetting = SeveritySetting | { severity?: SeveritySetting; options?: Record<string, RuleOptionValue> };

export interface SelfhealSettings {
  enable: boolean;
  trace: { server: "off" | "messages" | "verbose" };
  maxFileSizeKB: number;
  debounceMs: number;
  typeAware: boolean;
  rules: Record<string, RuleSetting>;
}

export const settingsSection = "selfheal";

export const defaultSettings: SelfhealSettings = {
  enable: true,
  trace: { server: "off" },
  maxFileSizeKB: 1024,
  debounceMs: 150,
  typeAware: true,
  rules: {},
};

const severities: readonly string[] = ["error", "warning", "info", "hint", "off"];

/** Settings arrive as untyped JSON from any editor: keep what is valid, default the rest. */
export function sanitizeSettings(raw: unknown): SelfhealSettings {
  const value = (raw ?? {}) as Partial<Record<keyof SelfhealSettings, unknown>>;
  const number = (input: unknown, fallback: number, min: number, max: number) =>
    typeof input === "number" && Number.isFinite(input) ? Math.min(max, Math.max(min, input)) : fallback;
  const rules: Record<string, RuleSetting> = {};
  if (isPlainObject(value.rules)) {
    for (const [id, entry] of Object.entries(value.rules)) {
      const rule = sanitizeRuleSetting(entry);
      if (rule !== undefined && id !== "__proto__") rules[id] = rule; // `rules.__proto__ = …` would set the prototype, not add an entry
    }
  }
  const trace = (value.trace as { server?: unknown } | undefined)?.server;
  return {
    enable: typeof value.enable === "boolean" ? value.enable : defaultSettings.enable,
    trace: { server: trace === "messages" || trace === "verbose" ? trace : "off" },
    maxFileSizeKB: number(value.maxFileSizeKB, defaultSettings.maxFileSizeKB, 1, 1024 * 1024),
    debounceMs: number(value.debounceMs, defaultSettings.debounceMs, 0, 5000),
    typeAware: typeof value.typeAware === "boolean" ? value.typeAware : defaultSettings.typeAware,
    rules,
  };
}

function sanitizeRuleSetting(entry: unknown): RuleSetting | undefined {
  if (isSeverity(entry)) return entry;
  if (!isPlainObject(entry)) return undefined;
  const result: { severity?: SeveritySetting; options?: Record<string, RuleOptionValue> } = {};
  if (isSeverity(entry.severity)) result.severity = entry.severity;
  if (isPlainObject(entry.options)) {
    const options: Record<string, RuleOptionValue> = {};
    for (const [name, option] of Object.entries(entry.options)) {
      const clean = sanitizeOptionValue(option);
      // Assigning `__proto__` would set the object's prototype instead of adding an option.
      if (clean !== undefined && name !== "__proto__") options[name] = clean;
    }
    result.options = options;
  }
  // An object with nothing usable in it says nothing: the rule keeps its defaults.
  return result.severity === undefined && result.options === undefined ? undefined : result;
}

function sanitizeOptionValue(value: unknown): RuleOptionValue | undefined {
  const scalar = (item: unknown) => typeof item === "string" || typeof item === "boolean" || (typeof item === "number" && Number.isFinite(item));
  if (scalar(value)) return value as RuleOptionValue;
  if (Array.isArray(value) && value.every(scalar)) return [...value] as RuleOptionValue;
  return undefined;
}

function isSeverity(value: unknown): value is SeveritySetting {
  return typeof value === "string" && severities.includes(value);
}

/** Arrays and null are objects too; neither is a map of rule ids. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
