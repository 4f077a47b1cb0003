// Plan + verify of a single-file fix on a bench corpus, next to the TypeScript LanguageService's
// floor for the same files after the same edit (issue 5, item 9; target: ≤ 1.5× the floor).
//
//   import { measurePlanVerify } from "../bench/planVerify.mjs";
//   const figures = await measurePlanVerify(corpus.folder, { count: 50, log });
//
// or from a shell: `node bench/planVerify.mjs <corpus folder> [count] [--impact always]`.
//
// Measured:
//   ours      the engine from out/server/src (built by `tsc -b server`), analyzed once
//             (analyzeAll: the state the editor is in), then per sampled fix: planFix +
//             verifyPlan (type check only: no verify.command), timed together;
//   floor     per fix: the changed file's snapshot replaced by the fixed text, then
//             getSemanticDiagnostics of the changed file and of its impact set (the files
//             importing it), timed together; then the snapshot put back. Twice:
//             - in the engine's process, on the engine's own LanguageService, after all of ours
//               (the same heap and the same warm code: the primary comparison);
//             - in a process of its own, a plain LanguageService on the corpus' tsconfig warmed
//               on five files, as bench/edits.cjs measures its floor (a small heap collects
//               garbage faster, so this floor is lower).
// The engine side picks the fixes (an evenly spaced sample of the preferred fixes that edit one
// file) and hands the floor the fixed texts and impact sets.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "./report.mjs";

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), "..");
const require = createRequire(import.meta.url);

/**
 * Returns { count, impactCheck, engine: { setupMs, results }, floorInProcess: [...], floor: { setupMs, results }, summary }:
 * per fix { file, rule, planMs, verifyMs, totalMs, impact, checked, importers, ok } and
 * { file, changedMs, semanticMs, files }; summary has p50/p95 of ours and of the in-process floor
 * with their ratios, and the same against the separate-process floor in `summary.separateProcess`.
 */
export async function measurePlanVerify(corpusFolder, { count = 50, impactCheck = "when-declarations-change", log = () => {} } = {}) {
  const samplesFile = path.join(os.tmpdir(), `selfheal-plan-verify-${process.pid}-${Date.now()}.json`);
  try {
    log(`  plan+verify: engine (${count} fixes, importers checked ${impactCheck === "always" ? "always" : "when declarations change"})`);
    const engine = await child(["engine", corpusFolder, String(count), samplesFile, impactCheck]);
    log("  plan+verify: LanguageService floor");
    const floor = await child(["floor", corpusFolder, String(count), samplesFile]);
    const { floor: inProcess, ...ours } = engine;
    return {
      count: ours.results.length,
      impactCheck,
      engine: ours,
      floorInProcess: inProcess,
      floor,
      summary: { ...summarize(ours.results, inProcess), separateProcess: summarize(ours.results, floor.results) },
    };
  } finally {
    fs.rmSync(samplesFile, { force: true });
  }
}

function summarize(ours, floor) {
  const total = ours.map((result) => result.totalMs);
  const floorAll = floor.map((result) => result.semanticMs);
  const floorChanged = floor.map((result) => result.changedMs);
  const figures = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  const summary = { ours: figures(total), plan: figures(ours.map((result) => result.planMs)), verify: figures(ours.map((result) => result.verifyMs)), floor: figures(floorAll), floorChangedFileOnly: figures(floorChanged) };
  summary.ratio = { p50: summary.ours.p50 / summary.floor.p50, p95: summary.ours.p95 / summary.floor.p95 };
  summary.met = summary.ratio.p50 <= 1.5 && summary.ratio.p95 <= 1.5;
  summary.failedVerifications = ours.filter((result) => !result.ok).length;
  return summary;
}

function child(args) {
  return new Promise((resolve, reject) => {
    const worker = spawn(process.execPath, ["--max-old-space-size=4096", here, "--child", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    worker.stdout.on("data", (chunk) => stdout.push(chunk));
    worker.stderr.on("data", (chunk) => stderr.push(chunk));
    worker.on("error", reject);
    worker.on("close", (code) => {
      if (code !== 0) return reject(new Error(`planVerify ${args[0]} exited with ${code}: ${Buffer.concat(stderr).toString().slice(-2000)}`));
      resolve(JSON.parse(Buffer.concat(stdout).toString().trim().split("\n").at(-1)));
    });
  });
}

/** Preferred single-file fixes: an evenly spaced sample over all of them, in file and position order. */
function sampleFixes(findings, count) {
  const candidates = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    if (fix && fix.changes.length === 1 && fix.changes[0].file === finding.file) candidates.push({ finding, fix });
  }
  const picked = Math.min(count, candidates.length);
  return Array.from({ length: picked }, (_, index) => candidates[Math.floor((index * candidates.length) / picked)]);
}

async function runEngine(corpus, count, samplesFile, impactCheck) {
  const { Engine } = require(path.join(root, "out/server/src/engine/analysis/engine.js"));
  const { defaultEngineSettings } = require(path.join(root, "out/server/src/engine/settings.js"));
  const { planFix } = require(path.join(root, "out/server/src/engine/agents/planner.js"));
  const { verifyPlan } = require(path.join(root, "out/server/src/engine/agents/verifier.js"));
  const engine = new Engine(defaultEngineSettings);
  let started = performance.now();
  engine.workspace.addFolder(corpus);
  await engine.analyzeAll();
  const setupMs = performance.now() - started;
  const results = [];
  const samples = [];
  for (const { finding, fix } of sampleFixes(engine.allFindings(), count)) {
    started = performance.now();
    const plan = planFix(engine, finding, fix);
    const planned = performance.now();
    const verification = await verifyPlan(engine, plan, { runCommands: false, impactCheck });
    const verified = performance.now();
    results.push({
      file: path.relative(corpus, finding.file),
      rule: finding.ruleId,
      planMs: planned - started,
      verifyMs: verified - planned,
      totalMs: verified - started,
      impact: plan.impactSet.length,
      checked: verification.checkedFiles.length,
      importers: verification.importers,
      ok: verification.ok,
      ...(verification.ok ? {} : { problems: verification.problems.map((problem) => problem.message.slice(0, 300)) }),
    });
    samples.push({ file: finding.file, after: plan.files[0].after, impactSet: plan.impactSet });
  }
  fs.writeFileSync(samplesFile, JSON.stringify(samples));
  // The floor in this process, after every plan+verify (which leave the engine's program as it
  // was): the engine's own LanguageService, the fixed text set as an open buffer, then put back.
  const floor = [];
  let version = 1_000_000;
  for (const sample of samples) {
    engine.updateDocument(sample.file, sample.after, version++);
    started = performance.now();
    const service = (file) => engine.workspace.projectOf(file)?.languageService;
    service(sample.file)?.getSemanticDiagnostics(sample.file);
    const changedMs = performance.now() - started;
    for (const file of sample.impactSet) service(file)?.getSemanticDiagnostics(file);
    floor.push({ file: path.relative(corpus, sample.file), changedMs, semanticMs: performance.now() - started, files: 1 + sample.impactSet.length });
    engine.closeDocument(sample.file);
    engine.workspace.projectOf(sample.file)?.program();
  }
  return { setupMs, results, floor };
}

async function runFloor(corpus, samplesFile) {
  const ts = require("typescript");
  const samples = JSON.parse(fs.readFileSync(samplesFile, "utf8"));
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(corpus, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const fileNames = parsed.fileNames.map((file) => path.resolve(file).replace(/\\/g, "/"));
  const texts = new Map();
  const versions = new Map();
  const host = {
    getCompilationSettings: () => parsed.options,
    getScriptFileNames: () => fileNames,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => {
      const text = texts.get(file) ?? ts.sys.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => corpus,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => texts.has(file) || ts.sys.fileExists(file),
    readFile: (file) => texts.get(file) ?? ts.sys.readFile(file),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  let started = performance.now();
  service.getProgram();
  for (const sample of samples.slice(0, 5)) service.getSemanticDiagnostics(sample.file);
  const setupMs = performance.now() - started;
  const results = [];
  let version = 0;
  for (const sample of samples) {
    texts.set(sample.file, sample.after);
    versions.set(sample.file, ++version);
    started = performance.now();
    service.getSemanticDiagnostics(sample.file);
    const changedMs = performance.now() - started;
    for (const file of sample.impactSet) service.getSemanticDiagnostics(file);
    results.push({ file: path.relative(corpus, sample.file), changedMs, semanticMs: performance.now() - started, files: 1 + sample.impactSet.length });
    // Back to the original text, so each fix is measured alone, as on the engine side.
    texts.delete(sample.file);
    versions.set(sample.file, ++version);
    service.getProgram();
  }
  return { setupMs, results };
}

const [flag, mode, ...rest] = process.argv.slice(2);
if (flag === "--child") {
  const [corpusArg, countArg, samplesFile, impactCheck] = rest;
  const corpus = path.resolve(corpusArg).replace(/\\/g, "/");
  const work = mode === "engine" ? runEngine(corpus, Number(countArg), samplesFile, impactCheck) : runFloor(corpus, samplesFile);
  work.then(
    (result) => process.stdout.write(JSON.stringify({ ...result, maxRssKB: process.resourceUsage().maxRSS }) + "\n"),
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
} else if (process.argv[1] === here && flag !== undefined) {
  const argv = process.argv.slice(2);
  const impactCheck = argv.includes("--impact") ? argv[argv.indexOf("--impact") + 1] : "when-declarations-change";
  const positional = argv.filter((argument, index) => !argument.startsWith("--") && argv[index - 1] !== "--impact");
  const figures = await measurePlanVerify(positional[0], { count: Number(positional[1] ?? 50), impactCheck, log: (message) => console.error(`[bench]${message}`) });
  const ms = (value) => `${value.toFixed(1)} ms`;
  const { summary } = figures;
  const floorLine = (label, figures_) =>
    `  ${label} p50 ${ms(figures_.floor.p50)}  p95 ${ms(figures_.floor.p95)}  (changed file alone: p50 ${ms(figures_.floorChangedFileOnly.p50)}, p95 ${ms(figures_.floorChangedFileOnly.p95)}); ours/floor p50 ${figures_.ratio.p50.toFixed(2)}×  p95 ${figures_.ratio.p95.toFixed(2)}× (target ≤ 1.5×: ${figures_.met ? "met" : "missed"})`;
  console.log(JSON.stringify(figures));
  console.error(
    [
      `plan+verify of ${figures.count} single-file fixes (importers checked ${impactCheck === "always" ? "always" : "when declarations change"}):`,
      `  ours                  p50 ${ms(summary.ours.p50)}  p95 ${ms(summary.ours.p95)}  (plan p50 ${ms(summary.plan.p50)}, verify p50 ${ms(summary.verify.p50)}); verifications failed: ${summary.failedVerifications}`,
      floorLine("floor, same process  ", summary),
      floorLine("floor, own process   ", summary.separateProcess),
    ].join("\n"),
  );
}
