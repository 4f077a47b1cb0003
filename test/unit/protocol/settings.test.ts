import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultSettings, sanitizeSettings } from "../../../server/src/protocol/settings";

/** Compiled tests run from out/test/unit/protocol; package.json stays at the repository root. */
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "package.json"), "utf8"));

describe("protocol: sanitizeSettings", () => {
  it("defaults everything when the editor sends nothing usable", () => {
    for (const raw of [undefined, null, {}, 42, "selfheal", []]) assert.deepEqual(sanitizeSettings(raw), defaultSettings, JSON.stringify(raw));
  });

  it("keeps every valid value", () => {
    const valid = { enable: false, trace: { server: "verbose" }, maxFileSizeKB: 64, debounceMs: 0, typeAware: false, rules: { "no-explicit-any": "off", "floating-promise": "hint" } };
    assert.deepEqual(sanitizeSettings(valid), valid);
  });

  it("defaults values of the wrong type instead of passing them on", () => {
    const result = sanitizeSettings({ enable: "yes", trace: "verbose", maxFileSizeKB: "2048", debounceMs: null, typeAware: 1, rules: "strict" });
    assert.deepEqual(result, defaultSettings);
  });

  it("clamps numbers into the ranges package.json declares", () => {
    assert.equal(sanitizeSettings({ maxFileSizeKB: 0 }).maxFileSizeKB, 1);
    assert.equal(sanitizeSettings({ maxFileSizeKB: -5 }).maxFileSizeKB, 1);
    assert.equal(sanitizeSettings({ maxFileSizeKB: 1e12 }).maxFileSizeKB, 1024 * 1024);
    assert.equal(sanitizeSettings({ debounceMs: -1 }).debounceMs, 0);
    assert.equal(sanitizeSettings({ debounceMs: 60_000 }).debounceMs, 5000);
  });

  it("rejects NaN and Infinity, which JSON cannot carry but a JS client can", () => {
    assert.equal(sanitizeSettings({ maxFileSizeKB: Number.NaN }).maxFileSizeKB, defaultSettings.maxFileSizeKB);
    assert.equal(sanitizeSettings({ debounceMs: Number.POSITIVE_INFINITY }).debounceMs, defaultSettings.debounceMs);
  });

  it("drops rule entries with an unknown severity but keeps the valid ones", () => {
    const result = sanitizeSettings({ rules: { "no-explicit-any": "error", "floating-promise": "fatal", "import-cycle": 2, other: null } });
    assert.deepEqual(result.rules, { "no-explicit-any": "error" });
  });

  it("keeps rule entries that are objects with a severity and options", () => {
    const rules = { complexity: { severity: "error", options: { maxCyclomatic: 12, maxNesting: 3 } }, "no-var": { options: { names: ["a", "b"], strict: true } }, "prefer-const": { severity: "off" } };
    assert.deepEqual(sanitizeSettings({ rules }).rules, rules);
  });

  it("drops what is invalid inside an object entry, and the entry when nothing usable is left", () => {
    const result = sanitizeSettings({
      rules: {
        complexity: { severity: "fatal", options: { maxCyclomatic: 12, maxNesting: Number.NaN, nested: { deep: 1 }, list: [1, {}] } },
        "empty-catch": { severity: 3 },
        "no-var": { options: "strict" },
        "ts-ignore": [],
        "console-call": { severity: "hint", options: [1] },
      },
    });
    assert.deepEqual(result.rules, { complexity: { options: { maxCyclomatic: 12 } }, "console-call": { severity: "hint" } });
  });

  it("keeps `__proto__` out of rule options as well", () => {
    const result = sanitizeSettings(JSON.parse('{ "rules": { "complexity": { "options": { "__proto__": { "maxNesting": 1 }, "maxCyclomatic": 5 } }, "__proto__": { "severity": "error" } } }'));
    assert.deepEqual(result.rules, { complexity: { options: { maxCyclomatic: 5 } } });
    assert.equal(Object.getPrototypeOf(result.rules), Object.prototype);
    const options = (result.rules.complexity as { options: Record<string, unknown> }).options;
    assert.equal(Object.getPrototypeOf(options), Object.prototype);
    assert.equal(options.maxNesting, undefined);
  });

  it("accepts exactly the shapes package.json declares for selfheal.rules", () => {
    const schema = packageJson.contributes.configuration.properties["selfheal.rules"];
    assert.equal(schema.scope, "resource");
    const [severity, object] = schema.additionalProperties.anyOf;
    assert.deepEqual(severity.enum, ["error", "warning", "info", "hint", "off"]);
    assert.deepEqual(Object.keys(object.properties), ["severity", "options"]);
    assert.deepEqual(Object.keys(schema.properties.complexity.anyOf[1].properties.options.properties), ["maxCyclomatic", "maxNesting"]);
    for (const level of severity.enum) assert.equal(sanitizeSettings({ rules: { x: level, y: { severity: level } } }).rules.x, level);
  });

  it("only accepts the known trace levels", () => {
    assert.equal(sanitizeSettings({ trace: { server: "messages" } }).trace.server, "messages");
    assert.equal(sanitizeSettings({ trace: { server: "everything" } }).trace.server, "off");
  });

  it("does not let a `__proto__` key in JSON settings reach the rules object's prototype", () => {
    const result = sanitizeSettings(JSON.parse('{ "rules": { "__proto__": { "polluted": "error" }, "no-explicit-any": "warning" } }'));
    assert.deepEqual(result.rules, { "no-explicit-any": "warning" });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("returns a fresh object: callers may mutate it without changing the defaults", () => {
    const result = sanitizeSettings({});
    result.rules["x"] = "off";
    assert.deepEqual(defaultSettings.rules, {});
  });
});
