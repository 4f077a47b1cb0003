import * as assert from "node:assert/strict";
import { defaultSettings, sanitizeSettings } from "../../../server/src/protocol/settings";

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
