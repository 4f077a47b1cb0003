// Edit-to-diagnostics latency, one corpus, one side per process:
//   node bench/edits.cjs engine <corpus> <edits>   our engine (out/server/src, built by `tsc -b server`)
//   node bench/edits.cjs floor  <corpus> <edits>   a plain ts.LanguageService on the same tsconfig
// Both sides plan the same edit sequence (planEdits is deterministic) and print one JSON line.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const [mode, corpusArg, countArg] = process.argv.slice(2);
const corpus = path.resolve(corpusArg).replace(/\\/g, "/");
const editCount = Number(countArg ?? 50);
// Re-checking the dependents of a core module means re-checking most of the corpus: measure it
// on every fifth edit only, and stop once it has cost this much in all.
const dependentsEvery = 5;
const dependentsBudgetMs = 30_000;

const now = () => performance.now();

/** Source files worth editing: the project's own, no tests, no generated giants, evenly spread. */
function planEdits(fileNames) {
  const candidates = fileNames
    .filter((file) => !/\/(tests?|benchmarks?|__tests__)\//.test(file) && !/\.(test|spec|bench)\.tsx?$/.test(file) && !/\.d\.ts$/.test(file))
    .filter((file) => fs.statSync(file).size <= 1024 * 1024)
    .sort();
  const edits = [];
  const step = candidates.length / Math.min(editCount, candidates.length);
  for (let index = 0; edits.length < editCount && index < candidates.length; index++) {
    const file = candidates[Math.floor(index * step) % candidates.length];
    if (edits.some((edit) => edit.file === file)) continue;
    const text = fs.readFileSync(file, "utf8");
    edits.push({ file, text: insertStatement(file, text, `const __bench_${edits.length}: number = ${edits.length};`) });
  }
  return edits;
}

/** Inserts `statement` as the first statement of the middle function body of the file, or at its end. */
function insertStatement(file, text, statement) {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const bodies = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body && ts.isBlock(node.body) && node.body.statements.length > 0) bodies.push(node.body);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (bodies.length === 0) return `${text}\n${statement}\n`;
  const first = bodies[Math.floor(bodies.length / 2)].statements[0];
  const at = first.getStart(sourceFile);
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))[0];
  return `${text.slice(0, at)}${statement}\n${indent}${text.slice(at)}`;
}

function parseTsconfig(configFile) {
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  return { options: parsed.options, fileNames: parsed.fileNames.map((file) => path.resolve(file).replace(/\\/g, "/")) };
}

async function runEngine() {
  const { Engine } = require("../out/server/src/engine/analysis/engine.js");
  const { defaultEngineSettings } = require("../out/server/src/engine/settings.js");
  let failures = 0; // A rule that throws makes its file's figures too low: count, to say so.
  const engine = new Engine(defaultEngineSettings, { info() {}, warn() {}, error: () => failures++ });
  let started = now();
  engine.workspace.addFolder(corpus);
  // The import graph (dependentsOf) comes from the syntactic pass over every file; the
  // type-aware code paths are warmed on five files, as the floor's are.
  for (const file of engine.workspace.analyzedFiles()) engine.analyzeSyntax(file);
  const edits = planEdits(engine.workspace.analyzedFiles());
  for (const edit of edits.slice(0, 5)) engine.analyzeTypes(edit.file);
  const setupMs = now() - started;
  const results = [];
  let dependentsSpent = 0;
  for (const [index, edit] of edits.entries()) {
    started = now();
    engine.updateDocument(edit.file, edit.text, index + 1);
    engine.analyzeSyntax(edit.file);
    engine.findingsFor(edit.file);
    const syntaxMs = now() - started;
    started = now();
    engine.analyzeTypes(edit.file);
    engine.findingsFor(edit.file);
    const typesMs = now() - started;
    const result = { file: path.relative(corpus, edit.file), syntaxMs, typesMs };
    if (index % dependentsEvery === 0 && dependentsSpent < dependentsBudgetMs) {
      started = now();
      const dependents = engine.dependentsOf(edit.file);
      for (const dependent of dependents) engine.analyzeTypes(dependent);
      result.dependentsMs = now() - started;
      result.dependents = dependents.length;
      dependentsSpent += result.dependentsMs;
    }
    results.push(result);
  }
  return { setupMs, results, failures };
}

async function runFloor() {
  const configFile = path.join(corpus, "tsconfig.json");
  const { options, fileNames } = parseTsconfig(configFile);
  const texts = new Map();
  const versions = new Map();
  const host = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => fileNames,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => {
      const text = texts.get(file) ?? ts.sys.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => corpus,
    getDefaultLibFileName: (compilerOptions) => ts.getDefaultLibFilePath(compilerOptions),
    fileExists: (file) => texts.has(file) || ts.sys.fileExists(file),
    readFile: (file) => texts.get(file) ?? ts.sys.readFile(file),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  let started = now();
  service.getProgram();
  const edits = planEdits(fileNames);
  // Warm the checker's code paths as the engine's start-up analysis warms them for the engine.
  for (const edit of edits.slice(0, 5)) service.getSemanticDiagnostics(edit.file);
  const setupMs = now() - started;
  const results = [];
  for (const [index, edit] of edits.entries()) {
    texts.set(edit.file, edit.text);
    versions.set(edit.file, index + 1);
    started = now();
    const diagnostics = service.getSemanticDiagnostics(edit.file);
    results.push({ file: path.relative(corpus, edit.file), semanticMs: now() - started, diagnostics: diagnostics.length });
  }
  return { setupMs, results };
}

(mode === "engine" ? runEngine() : runFloor()).then(
  (result) => {
    result.maxRssKB = process.resourceUsage().maxRSS;
    process.stdout.write(JSON.stringify(result) + "\n");
  },
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
