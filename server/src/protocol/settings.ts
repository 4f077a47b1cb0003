/**
 * The typed mirror of the `selfheal.*` settings in package.json. The client reads them from
 * VS Code; the server pulls them with `workspace/configuration` (or takes them from
 * `initializationOptions` in editors without it). Keep both in step with package.json.
 */
export type SeveritySetting = "error" | "warning" | "info" | "hint" | "off";

export interface SelfhealSettings {
  enable: boolean;
  trace: { server: "off" | "messages" | "verbose" };
  maxFileSizeKB: number;
  debounceMs: number;
  typeAware: boolean;
  rules: Record<string, SeveritySetting>;
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
  const rules: Record<string, SeveritySetting> = {};
  if (value.rules && typeof value.rules === "object") {
    for (const [id, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof severity === "string" && severities.includes(severity)) rules[id] = severity as SeveritySetting;
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
