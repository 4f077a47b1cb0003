// Contract benchmark, three parts:
//  1. Extraction cost: every contract (package entry point) of the zod corpus in .cache/bench/zod
//     extracted through the type checker, against `tsc --noEmit -p` on the same corpus (target:
//     at most 1× tsc). Both run in fresh processes, alternating; medians are reported. The
//     declaration bundles a snapshot also writes are timed separately.
//  2. Live drift (bench/contractEdits.mjs): how long after an edit of an exported signature in
//     zod the language server shows the drift (target ≤ 200 ms), beside TypeScript's own floor.
//  3. Accuracy on real releases: published versions of a package are fetched from the npm
//     registry (`npm pack`, into .cache/bench/contracts/), the older one's .d.ts entry is taken as
//     the baseline and the newer one is classified against it.
// Imports the compiled engine from out/server (run `npx tsc -b server` first; `npm run bench` does).
//   node bench/contracts.mjs [--runs <n>] [--no-registry] [--no-extraction] [--no-edits] [--edits <n>]    prints one JSON object
// scripts/bench.mjs calls measureContracts() instead.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { measureContractEdits } from "./contractEdits.mjs";

const require = createRequire(import.meta.url);
const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Releases compared in part 2: a minor and a major step of a well-known package with hand-written typings. */
export const releasePairs = [
  { name: "commander", from: "12.0.0", to: "12.1.0", step: "minor" },
  { name: "commander", from: "13.0.0", to: "13.1.0", step: "minor" },
  { name: "commander", from: "12.1.0", to: "13.0.0", step: "major" },
  { name: "commander", from: "13.1.0", to: "14.0.0", step: "major" },
];

/**
 * Measures both parts; `corpusFolder` defaults to <cacheDir>/zod (prepared by bench/corpora.mjs).
 * Returns { extraction, edits, releases }.
 */
export async function measureContracts({ root = defaultRoot, cacheDir = path.join(root, ".cache", "bench"), corpusFolder = path.join(cacheDir, "zod"), runs = 3, registry = true, extraction = true, edits = 20, log = (message) => console.error(`[bench] ${message}`) } = {}) {
  const engine = loadEngine(root);
  const result = {};
  if (extraction) {
    if (!fs.existsSync(path.join(corpusFolder, "tsconfig.json"))) throw new Error(`${corpusFolder} has no tsconfig.json: prepare the corpus first (npm run bench, or bench/corpora.mjs)`);
    result.extraction = await measureExtraction(root, corpusFolder, runs, log);
  }
  if (extraction && edits > 0) {
    // The edit benchmark drives the built server with the test suite's LSP client (out/test).
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-b", "test"], { cwd: root, stdio: "inherit" });
    log(`contracts: ${edits} edits of an exported signature in zod, edit → drift shown, beside TypeScript's floor`);
    result.edits = await measureContractEdits({ root, corpusFolder, edits, log });
    log(`contracts: edit → drift p50 ${result.edits.editToFindingsMs.p50} ms, p95 ${result.edits.editToFindingsMs.p95} ms; floor p50 ${result.edits.floorMs.p50} ms, p95 ${result.edits.floorMs.p95} ms`);
  }
  if (registry) result.releases = compareReleases(root, engine, path.join(cacheDir, "contracts"), log);
  return result;
}

function loadEngine(root) {
  const compiled = path.join(root, "out/server/src/engine/contracts");
  if (!fs.existsSync(path.join(compiled, "classify.js"))) throw new Error(`${compiled} is missing; run \`npx tsc -b server\` first`);
  const load = (name) => require(path.join(compiled, `${name}.js`));
  return {
    ts: require(path.join(root, "node_modules/typescript")),
    ...load("apiContract"),
    ...load("baseline"),
    ...load("classify"),
    ...load("packages"),
    ...load("versionBump"),
  };
}

async function measureExtraction(root, folder, runs, log) {
  const tsc = [];
  const ours = [];
  let detail;
  for (let run = 1; run <= runs; run++) {
    const tscStart = performance.now();
    const tscRun = await spawnNode(root, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "--pretty", "false", "-p", folder]);
    tsc.push(performance.now() - tscStart);
    if (tscRun.code !== 0 && !/error TS/.test(tscRun.stdout)) throw new Error(`tsc failed: ${tscRun.stderr.slice(-2000)}`);
    const oursStart = performance.now();
    const child = await spawnNode(root, [fileURLToPath(import.meta.url), "--child", folder]);
    ours.push(performance.now() - oursStart);
    if (child.code !== 0) throw new Error(`extraction failed: ${child.stderr.slice(-2000)}`);
    detail = JSON.parse(child.stdout.trim().split("\n").at(-1));
    log(`contracts: run ${run}/${runs}: tsc --noEmit ${Math.round(tsc.at(-1))} ms; extraction ${Math.round(ours.at(-1))} ms (program ${Math.round(detail.programMs)} ms, describe ${Math.round(detail.extractMs)} ms; declarations ${Math.round(detail.declarationsMs)} ms more)`);
  }
  const tscMs = median(tsc);
  const extractionMs = median(ours);
  return { corpus: folder, runs, tscMs: tsc, extractionMs: ours, ratio: extractionMs / tscMs, target: "≤ 1× tsc --noEmit", met: extractionMs <= tscMs, ...detail };
}

/** Child mode: one fresh process builds the program and extracts every entry point's contract (and then, timed apart, their declarations). */
function extractInChild(folder) {
  const engine = loadEngine(defaultRoot);
  const { ts } = engine;
  const started = performance.now();
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(folder, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  program.getTypeChecker();
  const programDone = performance.now();
  // The contracts `selfheal contracts` finds in the corpus: its package's entry points.
  const { contractTargets } = require(path.join(defaultRoot, "out/server/src/engine/contracts/contractTargets.js"));
  const { targets } = contractTargets({ folder, policies: [], packages: engine.packageEntries(path.join(folder, "package.json")) });
  const { extractContract } = require(path.join(defaultRoot, "out/server/src/engine/contracts/extract.js"));
  const { emitContractDeclarations } = require(path.join(defaultRoot, "out/server/src/engine/contracts/declarations.js"));
  const contracts = targets.map((target) => {
    const { api, locations } = extractContract(program, target.file);
    return { name: target.name, entry: path.relative(folder, target.file), exports: Object.keys(api.exports).length, described: countDescribed(api.exports), locations: locations.size, apiBytes: JSON.stringify(api).length };
  });
  const extractDone = performance.now();
  let declarationFiles = 0;
  for (const target of targets) declarationFiles += Object.keys(emitContractDeclarations(program, target.file).bundle.files).length;
  const declarationsDone = performance.now();
  console.log(JSON.stringify({ programMs: programDone - started, extractMs: extractDone - programDone, declarationsMs: declarationsDone - extractDone, files: program.getSourceFiles().filter((file) => !file.isDeclarationFile).length, contracts, declarationFiles }));
}

function countDescribed(exports) {
  let count = 0;
  for (const described of Object.values(exports)) {
    count++;
    if (described.namespace) count += countDescribed(described.namespace.exports);
  }
  return count;
}

function compareReleases(root, engine, folder, log) {
  fs.mkdirSync(folder, { recursive: true });
  return releasePairs.map((pair) => {
    const from = unpack(pair.name, pair.from, folder, log);
    const to = unpack(pair.name, pair.to, folder, log);
    const started = performance.now();
    const changes = classifyRelease(engine, from, to, `${pair.name}`);
    const classifyMs = performance.now() - started;
    const required = engine.requiredBump(changes, pair.from);
    const count = (classification) => changes.filter((change) => change.classification === classification).length;
    const byKind = {};
    for (const change of changes) byKind[change.kind] = (byKind[change.kind] ?? 0) + 1;
    log(`contracts: ${pair.name} ${pair.from} → ${pair.to} (${pair.step}): ${changes.length} change(s), ${count("breaking")} breaking, ${count("additive")} additive, ${count("internal")} internal; requires ${required}`);
    return {
      ...pair,
      classifyMs,
      required,
      bumpCheck: engine.checkVersionBump(pair.from, pair.to, required),
      counts: { breaking: count("breaking"), additive: count("additive"), internal: count("internal"), heuristic: changes.filter((change) => change.proof === "heuristic").length },
      byKind,
      changes: changes.map((change) => ({ symbol: change.symbol, kind: change.kind, classification: change.classification, proof: change.proof, file: path.relative(to, change.file), line: change.line, message: change.message })),
    };
  });
}

/** The package's files from the registry, unpacked once into <folder>/<name>@<version>/ (reused afterwards: no network). */
function unpack(name, version, folder, log) {
  const target = path.join(folder, `${name}@${version}`);
  if (fs.existsSync(path.join(target, "package.json"))) return target;
  log(`contracts: fetching ${name}@${version} from the npm registry`);
  const [packed] = JSON.parse(execFileSync("npm", ["pack", `${name}@${version}`, "--json", "--pack-destination", folder], { cwd: folder, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
  fs.mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(folder, packed.filename), "-C", target, "--strip-components=1"]);
  return target;
}

/** The older release's "." entry is the baseline (written and read back as a file would be); the newer one is classified against it. */
function classifyRelease(engine, fromRoot, toRoot, name) {
  const { ts } = engine;
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: [] };
  const entryOf = (packageRoot) => {
    const entry = engine.packageEntries(path.join(packageRoot, "package.json")).find((candidate) => candidate.subpath === "." && candidate.entryFile);
    if (!entry) throw new Error(`${packageRoot}: no "." entry point with types`);
    return entry.entryFile;
  };
  const fromEntry = entryOf(fromRoot);
  const before = ts.createProgram([fromEntry], options);
  const { baseline } = engine.snapshotApi({ program: before, entryFile: fromEntry, name, version: "0.0.0", entry: path.relative(fromRoot, fromEntry) });
  const baselineFile = path.join(toRoot, ".selfheal-bench-baseline.json").split(path.sep).join("/");
  const loaded = engine.parseBaseline(baselineFile, engine.serializeBaseline(baseline));
  const toEntry = entryOf(toRoot);
  const after = ts.createProgram([toEntry], options);
  const current = engine.currentApi({ program: after, entryFile: toEntry, name });
  return engine.diffContracts(loaded, current, { folder: toRoot, options, reuse: after });
}

function spawnNode(root, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") extractInChild(path.resolve(argv[1]));
  else {
    const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
    const result = await measureContracts({ runs: Number(option("runs", 3)), registry: !argv.includes("--no-registry"), extraction: !argv.includes("--no-extraction"), edits: argv.includes("--no-edits") ? 0 : Number(option("edits", 20)) });
    console.log(JSON.stringify(result));
  }
}
