import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Finding } from "../../../server/src/engine/findings";
import { healthLogFile, readHealthLog, recordHealthSample } from "../../../server/src/engine/health/healthLog";
import { healthSampleOf, parseHealthLog, type HealthSample } from "../../../server/src/engine/health/healthSample";
import { checkCommand } from "../../../server/src/cli/check";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

function finding(file: string, ruleId: string, severity: Finding["severity"]): Finding {
  return { ruleId, file, severity, message: "m", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, fixes: [], related: [] };
}

function sample(time: string, overrides: Partial<HealthSample> = {}): HealthSample {
  return { time, files: 3, lines: 300, errors: 1, warnings: 2, debtIndex: 53.3, byRule: { "no-explicit-any": 2, "floating-promise": 1 }, byFolder: { src: 3 }, ...overrides };
}

describe("health log: the workspace's health over time", () => {
  afterEach(removeTempDirs);

  it("samples findings by rule and by top-level folder, with the debt index", () => {
    const root = "/ws/project";
    const result = healthSampleOf(
      [finding("/ws/project/src/a.ts", "no-explicit-any", "warning"), finding("/ws/project/src/deep/b.ts", "floating-promise", "error"), finding("/ws/project/index.ts", "no-explicit-any", "warning"), finding("/elsewhere/c.ts", "no-var", "warning")],
      root,
      4,
      1000,
      new Date("2025-06-03T09:00:00.000Z"),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(result)), {
      time: "2025-06-03T09:00:00.000Z",
      files: 4,
      lines: 1000,
      errors: 1,
      warnings: 3,
      debtIndex: 19,
      byRule: { "floating-promise": 1, "no-explicit-any": 2, "no-var": 1 },
      byFolder: { "(outside)": 1, ".": 1, src: 2 },
    });
  });

  it("appends one JSON line per sample and reads them back in order", () => {
    const file = healthLogFile(makeTempDir());
    assert.deepEqual(readHealthLog(file), { samples: [], problems: [] }, "no log yet: an empty series");
    assert.equal(recordHealthSample(file, sample("2025-06-03T09:00:00.000Z")).written, true);
    assert.equal(recordHealthSample(file, sample("2025-06-03T09:05:00.000Z", { errors: 0, debtIndex: 20 })).written, true);
    const text = fs.readFileSync(file, "utf8");
    assert.equal(text.split("\n").length, 3, "two lines and the final newline");
    const series = readHealthLog(file);
    assert.deepEqual(
      series.samples.map((entry) => [entry.time, entry.debtIndex]),
      [
        ["2025-06-03T09:00:00.000Z", 53.3],
        ["2025-06-03T09:05:00.000Z", 20],
      ],
    );
  });

  it("writes at most one sample an hour while the numbers stay the same, and at once when they change", () => {
    const file = healthLogFile(makeTempDir());
    recordHealthSample(file, sample("2025-06-03T09:00:00.000Z"));
    const unchanged = recordHealthSample(file, sample("2025-06-03T09:59:59.000Z"));
    assert.deepEqual(unchanged.written ? "written" : unchanged.reason, "unchanged");
    assert.equal(recordHealthSample(file, sample("2025-06-03T09:30:00.000Z", { byFolder: { src: 2, test: 1 } })).written, true, "the folders changed");
    assert.equal(recordHealthSample(file, sample("2025-06-03T10:30:00.000Z", { byFolder: { src: 2, test: 1 } })).written, true, "an hour later, the same numbers again");
    assert.equal(readHealthLog(file).samples.length, 3);
  });

  it("never grows past its limit: the oldest samples go, the newest stay", () => {
    const file = healthLogFile(makeTempDir());
    const maxBytes = 1000;
    for (let index = 0; index < 40; index++) recordHealthSample(file, sample(new Date(Date.UTC(2025, 5, 1, index)).toISOString(), { errors: index }), { maxBytes });
    assert.ok(fs.statSync(file).size <= maxBytes, `${fs.statSync(file).size} bytes`);
    const samples = readHealthLog(file).samples;
    assert.ok(samples.length >= 3, `${samples.length} samples kept`);
    assert.equal(samples[samples.length - 1].errors, 39, "the newest is kept");
    assert.deepEqual(
      samples.map((entry) => entry.errors),
      Array.from({ length: samples.length }, (_, index) => 40 - samples.length + index),
      "a contiguous run of the newest",
    );
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ["health.jsonl"], "no temporary file left");
  });

  it("skips a torn or hand-edited line, reports where and why, and appends after it on a line of its own", () => {
    const root = makeTempDir();
    const file = healthLogFile(root);
    const good = JSON.stringify(sample("2025-06-03T09:00:00.000Z"));
    writeFiles(root, {
      ".selfheal/health.jsonl": [good, '{"time":"yesterday","files":1}', JSON.stringify(sample("2025-06-03T09:10:00.000Z", { errors: -1 })), "[]", '{"time":"2025-06-03T09:2'].join("\n"),
    });
    const series = readHealthLog(file);
    assert.equal(series.samples.length, 1);
    assert.deepEqual(series.problems, [
      { line: 2, detail: "time must be an ISO 8601 date and time" },
      { line: 3, detail: "errors must be a whole number ≥ 0" },
      { line: 4, detail: "the line is not a JSON object" },
      { line: 5, detail: "the line is not JSON (a torn write or a hand edit)" },
    ]);
    const outcome = recordHealthSample(file, sample("2025-06-03T11:00:00.000Z", { errors: 5 }));
    assert.equal(outcome.problems.length, 4, "the writer reports them too");
    const after = readHealthLog(file);
    assert.deepEqual(
      after.samples.map((entry) => entry.errors),
      [1, 5],
      "the torn line did not swallow the new sample",
    );
  });

  it("keeps hostile rule and folder names as plain keys", () => {
    const parsed = parseHealthLog(JSON.stringify(sample("2025-06-03T09:00:00.000Z", { byFolder: { "<img src=x onerror=alert(1)>": 2, ["__proto__"]: 1 } })) + "\n");
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(Object.keys(parsed.samples[0].byFolder).sort(), ["<img src=x onerror=alert(1)>", "__proto__"].sort());
  });

  it("`selfheal check --record-health` records the analysis in the folder's health log", async () => {
    const root = makeTempDir();
    writeFiles(root, { "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ["src"] }), "src/a.ts": "export function f(value: any): any {\n  return value;\n}\n" });
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (text: string) => void err.push(text), isTty: false, version: "0.0.0-test" };
    await checkCommand([root, "--record-health", "--fail-on", "never", "--format", "json"], io);
    const series = readHealthLog(healthLogFile(root));
    assert.equal(series.samples.length, 1, err.join(""));
    assert.equal(series.samples[0].files, 1);
    assert.equal(series.samples[0].byRule["no-explicit-any"], 2);
    assert.deepEqual({ ...series.samples[0].byFolder }, { src: 2 });
    assert.ok(err.join("").includes("health sample recorded"), err.join(""));
    await checkCommand([root, "--record-health", "--fail-on", "never", "--format", "json"], io);
    assert.equal(readHealthLog(healthLogFile(root)).samples.length, 1, "the same numbers within the hour: not written again");
  });
});
