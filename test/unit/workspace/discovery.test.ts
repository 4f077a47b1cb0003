import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { discoverWorkspace } from "../../../server/src/engine/workspace/discovery";
import { analyze, analyzeFolder, makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

const relativeTo = (root: string) => (file: string) => path.posix.relative(root, file);

describe("workspace: discovery", () => {
  afterEach(removeTempDirs);

  it("collects source files and config files, but not declaration files or other extensions", () => {
    const root = makeTempDir();
    writeFiles(root, {
      "tsconfig.json": "{}",
      "jsconfig.json": "{}",
      "tsconfig.build.json": "{}",
      "tsconfig-notes.json": "{}",
      "src/a.ts": "",
      "src/b.tsx": "",
      "src/c.mts": "",
      "src/d.cts": "",
      "src/e.js": "",
      "src/f.jsx": "",
      "src/g.mjs": "",
      "src/h.cjs": "",
      "src/types.d.ts": "",
      "src/styles.d.css.ts": "",
      "src/readme.md": "",
      "src/data.json": "",
    });
    const found = discoverWorkspace(root);
    assert.deepEqual(found.sourceFiles.map(relativeTo(root)), ["src/a.ts", "src/b.tsx", "src/c.mts", "src/d.cts", "src/e.js", "src/f.jsx", "src/g.mjs", "src/h.cjs"]);
    assert.deepEqual(found.configFiles.map(relativeTo(root)), ["jsconfig.json", "tsconfig.json", "tsconfig.build.json"]);
  });

  it("finds every .selfheal/policy.yaml, nested ones too, but not in skipped folders", () => {
    const root = makeTempDir();
    writeFiles(root, {
      ".selfheal/policy.yaml": "version: 1",
      "packages/api/.selfheal/policy.yaml": "version: 1",
      "packages/web/.selfheal/policy.test.yaml": "cases: []",
      "node_modules/dep/.selfheal/policy.yaml": "version: 1",
    });
    assert.deepEqual(discoverWorkspace(root).policyFiles.map(relativeTo(root)), [".selfheal/policy.yaml", "packages/api/.selfheal/policy.yaml"]);
  });

  it("skips dependencies, build output and dot-folders", () => {
    const root = makeTempDir();
    const skipped = ["node_modules", "dist", "out", "build", "coverage", "bower_components", ".git", ".cache"];
    writeFiles(root, Object.fromEntries([["src/kept.ts", ""], ...skipped.map((folder) => [`${folder}/x.ts`, ""]), ["src/nested/dist/y.ts", ""]]));
    assert.deepEqual(discoverWorkspace(root).sourceFiles.map(relativeTo(root)), ["src/kept.ts"]);
  });

  it("skips folders the caller excludes", () => {
    const root = makeTempDir();
    writeFiles(root, { "a/x.ts": "", "b/y.ts": "" });
    assert.deepEqual(discoverWorkspace(root, (folder) => folder.endsWith("/b")).sourceFiles.map(relativeTo(root)), ["a/x.ts"]);
  });

  it("orders configs deepest first, plain tsconfig.json before its variants, so the nearest one claims a file", () => {
    const root = makeTempDir();
    writeFiles(root, { "tsconfig.json": "{}", "tsconfig.build.json": "{}", "packages/app/tsconfig.json": "{}", "packages/app/tsconfig.test.json": "{}", "packages/lib/jsconfig.json": "{}" });
    assert.deepEqual(discoverWorkspace(root).configFiles.map(relativeTo(root)), [
      "packages/app/tsconfig.json",
      "packages/lib/jsconfig.json",
      "packages/app/tsconfig.test.json",
      "tsconfig.json",
      "tsconfig.build.json",
    ]);
  });

  it("follows a symlinked folder once and ends on a symlink loop", function () {
    const root = makeTempDir();
    writeFiles(root, { "src/a.ts": "", "shared/b.ts": "" });
    try {
      fs.symlinkSync(path.join(root, "shared"), path.join(root, "src/linked"), "dir");
      fs.symlinkSync(root, path.join(root, "src/loop"), "dir");
      fs.symlinkSync(path.join(root, "missing"), path.join(root, "src/dangling.ts"));
    } catch (error) {
      // Windows without developer mode cannot create symlinks; there is nothing to test then.
      if ((error as NodeJS.ErrnoException).code === "EPERM") this.skip();
      throw error;
    }
    const found = discoverWorkspace(root);
    // `shared` is reached twice (directly and through src/linked): whichever comes first wins, once.
    assert.equal(found.sourceFiles.filter((file) => file.endsWith("/b.ts")).length, 1);
    assert.equal(found.sourceFiles.filter((file) => file.endsWith("/a.ts")).length, 1);
    assert.ok(!found.sourceFiles.some((file) => file.endsWith("dangling.ts")));
  });

  it("returns nothing (and does not throw) for a folder that does not exist", () => {
    assert.deepEqual(discoverWorkspace(path.join(makeTempDir(), "gone")), { configFiles: [], sourceFiles: [], policyFiles: [] });
  });
});

describe("workspace: project ownership", () => {
  afterEach(removeTempDirs);

  const configOf = (result: Awaited<ReturnType<typeof analyze>>, file: string) => {
    const project = result.engine.workspace.projectOf(result.pathOf(file));
    return project?.config.configFile === undefined ? "(inferred)" : path.posix.relative(result.root, project.config.configFile);
  };

  it("gives each file to the nearest tsconfig that includes it, and loose files to the inferred project", async () => {
    const result = await analyze(
      {
        "tsconfig.json": JSON.stringify({ compilerOptions: { lib: ["ES2022"], noEmit: true }, include: ["**/*.ts"] }),
        "root.ts": "",
        "packages/app/tsconfig.json": JSON.stringify({ compilerOptions: { lib: ["ES2022"], noEmit: true }, include: ["src"] }),
        "packages/app/src/main.ts": "",
        "packages/app/scripts/tool.ts": "",
        "scripts/loose.js": "",
      },
      { tsconfig: false },
    );
    assert.equal(configOf(result, "root.ts"), "tsconfig.json");
    assert.equal(configOf(result, "packages/app/src/main.ts"), "packages/app/tsconfig.json");
    // Not in the app project's include, so the next config up claims it.
    assert.equal(configOf(result, "packages/app/scripts/tool.ts"), "tsconfig.json");
    assert.equal(configOf(result, "scripts/loose.js"), "(inferred)");
  });

  it("lets a solution-style tsconfig own nothing and its references own their files, with types across references", async () => {
    const options = { composite: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], outDir: "lib" };
    const result = await analyze({
      "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./packages/core" }, { path: "./packages/api" }] }),
      "packages/core/tsconfig.json": JSON.stringify({ compilerOptions: options, include: ["src"] }),
      "packages/core/src/store.ts": "export function save(): Promise<void> {\n  return Promise.resolve();\n}\n",
      "packages/api/tsconfig.json": JSON.stringify({ compilerOptions: options, include: ["src"], references: [{ path: "../core" }] }),
      "packages/api/src/handler.ts": 'import { save } from "../../core/src/store";\nexport function handle(): void {\n  save();\n}\n',
    });
    assert.equal(configOf(result, "packages/core/src/store.ts"), "packages/core/tsconfig.json");
    assert.equal(configOf(result, "packages/api/src/handler.ts"), "packages/api/tsconfig.json");
    assert.equal(result.engine.workspace.allProjects().length, 2, "no project for the solution file, no inferred project");
    assert.deepEqual(result.findingsIn("packages/api/src/handler.ts").map((finding) => finding.ruleId), ["floating-promise"]);
  });

  it("does not analyze build output that a tsconfig's default include picks up", async () => {
    // Without `include`, TypeScript globs every folder; out/, build/ and dist/ hold copies of the sources.
    const result = await analyze(
      {
        "tsconfig.json": JSON.stringify({ compilerOptions: { allowJs: true, noEmit: true, lib: ["ES2022"] } }),
        "src/a.ts": "export let x: any;\n",
        "out/a.ts": "export let x: any;\n",
        "build/a.ts": "export let x: any;\n",
        "dist/a.js": "export let x = 1;\n",
        "coverage/a.ts": "export let x: any;\n",
      },
      { tsconfig: false },
    );
    assert.deepEqual(result.engine.workspace.analyzedFiles(), [result.pathOf("src/a.ts")]);
    assert.deepEqual(result.findings.map((finding) => finding.file), [result.pathOf("src/a.ts")]);
  });

  it("analyzes a workspace that itself lives inside a folder named like build output", async () => {
    const parent = makeTempDir();
    const root = path.join(parent, "build", "project");
    writeFiles(root, { "tsconfig.json": JSON.stringify({ compilerOptions: { lib: ["ES2022"], noEmit: true } }), "src/a.ts": "export let x: any;\n" });
    const result = await analyzeFolder(root);
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ["no-explicit-any"]);
    // A file created later (the language server's watched-files path) must join too.
    writeFiles(root, { "src/b.ts": "export let y: any;\n" });
    result.engine.workspace.filesCreated([path.posix.join(root, "src/b.ts")]);
    await result.engine.analyzeAll();
    assert.deepEqual(result.engine.workspace.analyzedFiles(), [path.posix.join(root, "src/a.ts"), path.posix.join(root, "src/b.ts")]);
  });
});
