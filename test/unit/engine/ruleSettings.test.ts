import * as assert from "node:assert/strict";
import { defaultEngineSettings } from "../../../server/src/engine/settings";
import { analyze, removeTempDirs, type Analysis } from "../helpers/workspace";

/** Read live from the engine: `Analysis.findings` is a snapshot taken after the first analysis. */
const anyFindings = (result: Analysis) => result.engine.findingsFor(result.pathOf("src/a.ts")).filter((finding) => finding.ruleId === "no-explicit-any");

describe("engine: rules that are off", () => {
  afterEach(removeTempDirs);

  it("do not run, and turning one on asks for a new analysis that brings its findings", async () => {
    const off = { ...defaultEngineSettings, rules: { "no-explicit-any": "off" as const } };
    const result = await analyze({ "src/a.ts": "export let loose: any;\n" }, { settings: off });
    assert.deepEqual(anyFindings(result), []);

    const needsAnalysis = result.engine.updateSettings({ ...defaultEngineSettings, rules: { "no-explicit-any": "error" } });
    assert.equal(needsAnalysis, true, "the rule never ran, so its findings must be computed");
    assert.deepEqual(anyFindings(result), [], "nothing is invented before the analysis");
    await result.engine.analyzeAll();
    assert.deepEqual(anyFindings(result).map((finding) => finding.severity), ["error"]);
  });

  it("turning a rule off needs no analysis: its findings are filtered when read", async () => {
    const result = await analyze({ "src/a.ts": "export let loose: any;\n" });
    assert.equal(result.engine.updateSettings({ ...defaultEngineSettings, rules: { "no-explicit-any": "off" } }), false);
    assert.deepEqual(anyFindings(result), []);
  });
});
