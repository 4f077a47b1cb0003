import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze, analyzeFolder, makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

/** Where each finding is, as `rule@line:character` (0-based), so one string shows what survived. */
const where = (findings: Array<{ ruleId: string; range: { start: { line: number; character: number } } }>) =>
  findings.map((finding) => `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}`);

describe("engine: bad input", () => {
  afterEach(removeTempDirs);

  describe("source files", () => {
    it("reports what parses in a file with syntax errors", async () => {
      const source = [
        "export let a: any;",
        "export function broken(x: number {",
        "  return x +;",
        "}",
        "declare function save(): Promise<void>;",
        "save();",
        "export let b: Array<any> = [;",
        "",
      ].join("\n");
      const result = await analyze({ "src/broken.ts": source });
      assert.deepEqual(where(result.findingsIn("src/broken.ts")), ["no-explicit-any@0:14", "floating-promise@5:0", "prefer-const@6:7", "no-explicit-any@6:20"]);
    });

    it("survives files that are not TypeScript at all", async () => {
      const result = await analyze({
        "src/garbage.ts": "}}}{{{ ))) @@@ <<< `${ /* never closed",
        "src/binary.ts": Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x7f, 0x80]),
        "src/ok.ts": "export let x: any;\n",
      });
      assert.deepEqual(where(result.findingsIn("src/ok.ts")), ["no-explicit-any@0:14"]);
      assert.ok(result.engine.workspace.analyzedFiles().includes(result.pathOf("src/garbage.ts")));
    });

    it("reads invalid UTF-8 as replacement characters and keeps positions right", async () => {
      const bytes = Buffer.concat([Buffer.from('export const s = "'), Buffer.from([0xc3, 0x28, 0xa0, 0xe9]), Buffer.from('";\nexport let x: any;\n')]);
      const result = await analyze({ "src/latin1.ts": bytes });
      const [finding] = result.findingsIn("src/latin1.ts");
      assert.equal(where([finding])[0], "no-explicit-any@1:14");
      assert.equal(result.textOf(finding), "any");
    });

    it("reads UTF-16 files with a byte order mark", async () => {
      const text = "export let x: any;\n";
      const result = await analyze({ "src/le.ts": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]) });
      assert.deepEqual(where(result.findingsIn("src/le.ts")), ["no-explicit-any@0:14"]);
    });
  });

  describe("file size limit", () => {
    it("skips a 5 MB generated file, logs why once, and analyzes the rest", async function () {
      this.timeout(120_000);
      const line = (index: number) => `export const generated${index}: any = ${index};\n`;
      const chunks: string[] = [];
      let size = 0;
      for (let index = 0; size < 5 * 1024 * 1024; index++) size += (chunks[chunks.push(line(index)) - 1]).length;
      const result = await analyze({ "src/bundle.ts": chunks.join(""), "src/app.ts": "export let x: any;\n" });
      assert.deepEqual(result.findingsIn("src/bundle.ts"), []);
      assert.equal(result.findingsIn("src/app.ts").length, 1);
      const warnings = result.logs.filter((entry) => entry.level === "warn");
      assert.deepEqual(warnings.map((entry) => entry.message), [`skipped ${result.pathOf("src/bundle.ts")}: 5120 KiB is over selfheal.maxFileSizeKB (1024 KiB)`]);
    });

    it("takes the limit from the maxFileSizeKB setting", async () => {
      const files = { "src/two-kb.ts": "export let x: any;\n" + "// padding\n".repeat(200) };
      const small = await analyze(files, { settings: { maxFileSizeKB: 1 } });
      assert.deepEqual(small.findings, []);
      assert.match(small.logs.find((entry) => entry.level === "warn")?.message ?? "", /two-kb\.ts: 2 KiB is over selfheal\.maxFileSizeKB \(1 KiB\)/);
      const large = await analyze(files, { settings: { maxFileSizeKB: 4 } });
      assert.equal(large.findings.length, 1);
      assert.deepEqual(large.logs.filter((entry) => entry.level === "warn"), []);
    });
  });

  describe("configuration", () => {
    it("reports a broken tsconfig at the offending line and column, and still analyzes the project", async () => {
      const tsconfig = ['{', '  "compilerOptions": {', '    "strict": true', '    "lib": ["ES2022"],', '    "noSuchOption": 1', "  },", '  "include": ["src"]', "}", ""].join("\n");
      const result = await analyze({ "tsconfig.json": tsconfig, "src/a.ts": "export let x: any;\n" });
      const configErrors = result.findingsIn("tsconfig.json");
      assert.deepEqual(where(configErrors), ["tsconfig-error@3:4", "tsconfig-error@4:4"]);
      assert.match(configErrors[0].message, /',' expected\. \(TS1005\)/);
      assert.match(configErrors[1].message, /Unknown compiler option 'noSuchOption'\. \(TS5023\)/);
      assert.ok(configErrors.every((finding) => finding.severity === "error"));
      assert.deepEqual(where(result.findingsIn("src/a.ts")), ["no-explicit-any@0:14"]);
    });

    it("reports a tsconfig that extends a missing file", async () => {
      const result = await analyze({ "tsconfig.json": '{ "extends": "./missing.json", "include": ["src"] }', "src/a.ts": "export let x: any;\n" });
      const [error] = result.findingsIn("tsconfig.json");
      assert.match(error.message, /missing\.json/);
      assert.equal(result.findingsIn("src/a.ts").length, 1);
    });
  });

  describe("the file system changing under the engine", () => {
    it("ends discovery and analysis on a symlink loop, reporting each file once", async function () {
      const root = makeTempDir();
      writeFiles(root, { "tsconfig.json": JSON.stringify({ compilerOptions: { lib: ["ES2022"], noEmit: true } }), "src/a.ts": "export let x: any;\n" });
      try {
        fs.symlinkSync(root, path.join(root, "src", "loop"), "dir");
      } catch (error) {
        // Windows without developer mode cannot create symlinks; there is nothing to test then.
        if ((error as NodeJS.ErrnoException).code === "EPERM") this.skip();
        throw error;
      }
      const result = await analyzeFolder(root);
      assert.deepEqual(where(result.findings), ["no-explicit-any@0:14"]);
    });

    it("reports nothing (and does not crash) for a file deleted between discovery and analysis", async () => {
      const result = await analyze(
        { "src/gone.ts": "export let x: any;\n", "src/main.ts": 'import { x } from "./gone";\nexport let y: any = x;\n' },
        { beforeAnalysis: (_engine, root) => fs.unlinkSync(path.join(root, "src/gone.ts")) },
      );
      assert.deepEqual(result.findingsIn("src/gone.ts"), []);
      assert.deepEqual(where(result.findingsIn("src/main.ts")), ["prefer-const@1:7", "no-explicit-any@1:14"]);
    });
  });

  it("analyzes a workspace of 10,000 files", async function () {
    this.timeout(300_000);
    const files: Record<string, string> = {};
    for (let index = 0; index < 10_000; index++) {
      // Each file imports the previous one: a 10,000-deep import chain for the graph as well.
      const previous = index > 0 ? `import { v${index - 1} } from "./f${index - 1}";\nexport const w${index} = v${index - 1};\n` : "";
      files[`src/f${index}.ts`] = `${previous}export const v${index} = ${index};\n${index % 100 === 0 ? `export let a${index}: any;\n` : ""}`;
    }
    const result = await analyze(files);
    assert.equal(result.engine.workspace.analyzedFiles().length, 10_000);
    assert.equal(result.findings.length, 100);
    assert.ok(result.findings.every((finding) => finding.ruleId === "no-explicit-any"));
  });
});
