// `npm run bench`: Self-Healing Code against tsc and the TypeScript LanguageService on real npm
// packages (zod@4, effect@4), the fix-safety check on the same code, agreement with ESLint +
// typescript-eslint, and the provenance view's opening time in headless Chromium. Writes
// docs/benchmarks.md and prints the same summary.
//   --only <name>   one corpus        --runs <n>       full-analysis runs (3)
//   --edits <n>     edits (50)        --requests <n>   code-action requests (100)
//   --fix-sample <n>  at most n fixes per rule checked alone (100)
//   --fix-budget <s>  seconds of single-fix checks per corpus (300)
//   --plan-verify <n> single-file fixes planned and verified per corpus (50)
//   --openings <n>  openings of the provenance view (part view; 5)
//   --only-parts <list>  some of full,edits,code-actions,fix-safety,agreement,policy,plan-verify,ledger,contracts,view; the
//                        other parts keep their figures from the previous run (.cache/bench/results.json)
//   --refresh       re-resolve the newest 4.x versions instead of reusing the cache
//   --no-write      print only, leave docs/benchmarks.md alone
// Raw figures go to .cache/bench/results.json.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { compareWithPeer, loadNotes } from "../bench/agreement.mjs";
import { measureCodeActions } from "../bench/codeActions.mjs";
import { measureContracts } from "../bench/contracts.mjs";
import { measurePlanVerify } from "../bench/planVerify.mjs";
import { prepareCorpora } from "../bench/corpora.mjs";
import { median, renderMarkdown, renderSummary } from "../bench/report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, ".cache", "bench");
const tscScript = path.join(root, "node_modules/typescript/bin/tsc");
const selfhealScript = path.join(root, "dist/selfheal.js");
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const runs = Number(option("runs", 3));
const editCount = Number(option("edits", 50));
const requestCount = Number(option("requests", 100));
const only = option("only", undefined);
const fixSample = Number(option("fix-sample", 100));
const fixBudgetS = Number(option("fix-budget", 300));
const planVerifyCount = Number(option("plan-verify", 50));
const viewOpenings = Number(option("openings", 5));
const allParts = ["full", "edits", "code-actions", "fix-safety", "agreement", "policy", "plan-verify", "ledger", "contracts", "view"];
const parts = new Set(option("only-parts", allParts.join(",")).split(","));
const unknownParts = [...parts].filter((part) => !allParts.includes(part));
if (unknownParts.length > 0) throw new Error(`unknown part(s) ${unknownParts.join(", ")}; the parts are ${allParts.join(", ")}`);
// A partial run keeps the other parts' figures from the previous run (.cache/bench/results.json),
// so docs/benchmarks.md can be written once every part has figures, old or new.
const write = !argv.includes("--no-write");
const notesFile = path.join(root, "bench/agreement-notes.md");
const log = (message) => console.error(`[bench] ${message}`);

const startedAt = performance.now();
const loadStart = os.loadavg()[0];

log("building dist/selfheal.js and out/server (the engine the edit benchmark loads)");
execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
execFileSync(process.execPath, [tscScript, "-b", "server"], { cwd: root, stdio: "inherit" });

const corpora = prepareCorpora(cacheDir, { refresh: argv.includes("--refresh"), log }).filter((corpus) => !only || corpus.name === only);
const results = [];
for (const corpus of corpora) {
  log(`${corpus.name}@${corpus.version}: ${corpus.files} source files`);
  const result = { ...corpus };
  let report;
  if (parts.has("full")) {
    const full = { tsc: { wallMs: [], maxRssKB: [], cpuMs: [] }, ours: { wallMs: [], maxRssKB: [], cpuMs: [] } };
    let tscErrors = 0;
    let failedFiles = 0;
    for (let run = 1; run <= runs; run++) {
      const tsc = await measure(tscScript, ["--noEmit", "--pretty", "false", "-p", corpus.folder]);
      tscErrors = (tsc.stdout.match(/error TS\d+/g) ?? []).length;
      const ours = await checkCorpus(corpus);
      report = ours.report;
      failedFiles = ours.failedFiles;
      for (const [side, figures] of [["tsc", tsc], ["ours", ours]]) for (const key of ["wallMs", "maxRssKB", "cpuMs"]) full[side][key].push(figures[key]);
      log(`  full analysis run ${run}/${runs}: tsc ${Math.round(tsc.wallMs)} ms, ${Math.round(tsc.maxRssKB / 1024)} MB; selfheal check ${Math.round(ours.wallMs)} ms, ${Math.round(ours.maxRssKB / 1024)} MB`);
    }
    Object.assign(result, { lines: report.summary.linesAnalyzed, findings: report.findings.length, tscErrors, failedFiles, full });
  }

  if (parts.has("edits")) {
    log("  edit latency: engine");
    const engine = await runJson(path.join(root, "bench/edits.cjs"), ["engine", corpus.folder, String(editCount)]);
    log("  edit latency: LanguageService floor");
    const floor = await runJson(path.join(root, "bench/edits.cjs"), ["floor", corpus.folder, String(editCount)]);
    const mismatch = engine.results.findIndex((edit, index) => edit.file !== floor.results[index]?.file);
    if (mismatch >= 0 || engine.results.length !== floor.results.length) throw new Error(`the engine and the floor edited different files (at edit ${mismatch})`);
    result.edits = { engine: engine.results, floor: floor.results, failures: engine.failures, sample: "const __bench_0: number = 0;" };
  }

  if (parts.has("code-actions")) {
    log(`  code actions through the LSP server (${requestCount} requests)`);
    result.codeActions = await measureCodeActions(selfhealScript, corpus.folder, corpus.busyFile, requestCount);
  }

  if (parts.has("fix-safety")) {
    log(`  fix safety: every fix together, and alone (up to ${fixSample} per rule, within ${fixBudgetS} s)`);
    result.fixSafety = await runJson(path.join(root, "bench/fixSafety.cjs"), [corpus.folder, String(fixSample), String(fixBudgetS * 1000)], { showProgress: true });
    const { fixesOffered, fixesCheckedAlone, fixesAppliedTogether, brokenBuilds, problems } = result.fixSafety;
    log(`  fix safety: ${fixesOffered} fixes offered, ${fixesCheckedAlone} checked alone, ${fixesAppliedTogether} together; ${brokenBuilds} broken build(s), ${problems.length} problem(s)`);
  }

  if (parts.has("policy")) {
    log("  policy: load time and decisions over every file and rule");
    result.policy = await runJson(path.join(root, "bench/policy.mjs"), [corpus.folder]);
    log(`  policy: decide ${result.policy.decideMedianUs.toFixed(1)} µs median per decision; load ${Math.round(result.policy.loadColdMs)} ms cold, ${result.policy.loadWarmMedianMs.toFixed(1)} ms warm`);
  }

  if (parts.has("plan-verify")) {
    log(`  plan + verify of single-file fixes (${planVerifyCount}), next to the LanguageService floor`);
    result.planVerify = await measurePlanVerify(corpus.folder, { count: planVerifyCount, log: (message) => log(`    ${message}`) });
    const { summary } = result.planVerify;
    log(`  plan + verify: p50 ${Math.round(summary.ours.p50)} ms (${summary.ratio.p50.toFixed(2)}× same-process floor, ${summary.separateProcess.ratio.p50.toFixed(2)}× own-process floor)`);
  }

  if (parts.has("agreement")) {
    let ours;
    if (result.full) ours = { wallMs: median(result.full.ours.wallMs), runs: result.full.ours.wallMs.length };
    else {
      const single = await checkCorpus(corpus);
      report = single.report;
      ours = { wallMs: single.wallMs, runs: 1 };
    }
    // Files our engine does not run rules on (over selfheal.maxFileSizeKB: generated bundles) are left out of ESLint's run too.
    const skipped = oversized(corpus.folder, 1024 * 1024);
    log(`  agreement: ESLint + typescript-eslint, type-aware${skipped.length ? ` (without ${skipped.length} oversized file(s))` : ""}`);
    const eslint = await measure(path.join(root, "bench/eslint.cjs"), [corpus.folder, ...skipped]);
    if (eslint.code !== 0) throw new Error(`bench/eslint.cjs exited with ${eslint.code}: ${eslint.stderr.slice(-2000)}`);
    const peer = JSON.parse(eslint.stdout.trim().split("\n").at(-1));
    const notes = loadNotes(notesFile);
    const rules = compareWithPeer(corpus.folder, report.findings, peer.messages).map((row) => ({
      ...row,
      classes: row.classes.map((entry) => ({ ...entry, note: notes.get(row.ours)?.get(entry.id) })),
    }));
    const { messages, ...versions } = peer;
    result.agreement = {
      eslint: { ...versions, wallMs: eslint.wallMs, maxRssKB: eslint.maxRssKB, cpuMs: eslint.cpuMs, reports: messages.length },
      ours: { ...ours, files: report.summary.filesAnalyzed },
      skipped,
      rules,
    };
    log(`  agreement: ESLint ${Math.round(eslint.wallMs)} ms, ${messages.length} reports; ${rules.reduce((sum, row) => sum + row.agree, 0)} agree`);
  }
  results.push(result);
}

let ledger;
if (parts.has("ledger")) {
  log("ledger: 1,000 appends with fsync, then verifying a 100,000-entry ledger");
  ledger = await runJson(path.join(root, "bench/ledger.mjs"), ["--dir", cacheDir]);
  log(`ledger: append p99 ${ledger.appendP99Ms} ms, verify 100k ${ledger.verify100kMs} ms`);
}

let contracts;
if (parts.has("contracts")) {
  const zod = corpora.find((corpus) => corpus.name === "zod");
  log("contracts: extraction of zod's entry points against tsc, and real releases from the npm registry");
  contracts = await measureContracts({ root, cacheDir, corpusFolder: zod?.folder, runs, extraction: zod !== undefined, log: (message) => log(message) });
}

let view;
if (parts.has("view")) {
  log(`view: the provenance view opened ${viewOpenings} times on a 100,000-entry ledger in headless Chromium, next to a static page (the floor)`);
  // The harness and the ledger generator are the webview tests' (out/test/webview).
  execFileSync(process.execPath, [tscScript, "-b", "test"], { cwd: root, stdio: "inherit" });
  view = await runJson(path.join(root, "bench/view.mjs"), ["--dir", cacheDir, "--openings", String(viewOpenings)], { showProgress: true });
  const visible = view.view.map((opening) => opening.firstRows);
  log(`view: first rows visible p50 ${Math.round(median(visible))} ms, max ${Math.round(Math.max(...visible))} ms (floor p50 ${Math.round(median(view.floor.map((opening) => opening.firstRows)))} ms)`);
}

const summary = {
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  command: ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" "),
  runs,
  edits: editCount,
  requests: requestCount,
  parts: [...parts],
  fixSample,
  fixBudgetS,
  agreementFixed: [...(loadNotes(notesFile).get("fixed")?.entries() ?? [])].map(([id, note]) => ({ id, ...note })),
  totalMs: performance.now() - startedAt,
  machine: {
    cpu: /^model name\s*:\s*(.*)$/m.exec(readOr("/proc/cpuinfo"))?.[1] ?? os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    typescript: JSON.parse(fs.readFileSync(path.join(root, "node_modules/typescript/package.json"), "utf8")).version,
    loadStart: loadStart.toFixed(2),
    loadEnd: os.loadavg()[0].toFixed(2),
  },
  corpora: results,
  ledger,
  contracts,
  view,
};
const merged = mergeWithPrevious(summary, readJson(path.join(cacheDir, "results.json")));
// Every raw figure, for a closer look; the cache folder is gitignored.
fs.writeFileSync(path.join(cacheDir, "results.json"), JSON.stringify(merged, null, 2) + "\n");
const missing = allParts.filter((part) => !merged.measured?.[part]);
if (write && missing.length === 0) fs.writeFileSync(path.join(root, "docs/benchmarks.md"), renderMarkdown(merged));
else if (write) log(`docs/benchmarks.md not written: no figures yet for ${missing.join(", ")} (run those parts)`);
console.log(renderSummary(merged));

/**
 * A partial run (--only-parts, --only) replaces the parts it measured and keeps the rest from the
 * previous run; `measured` says when each part's figures were taken, and the report shows it.
 */
function mergeWithPrevious(current, previous) {
  const stamp = Object.fromEntries([...parts].map((part) => [part, current.date]));
  if (!previous || only === undefined && parts.size === allParts.length) return { ...current, measured: stamp };
  const partKeys = { full: ["full", "lines", "findings", "tscErrors", "failedFiles"], edits: ["edits"], "code-actions": ["codeActions"], "fix-safety": ["fixSafety"], agreement: ["agreement"], policy: ["policy"], "plan-verify": ["planVerify"] };
  const corpora = (previous.corpora ?? []).map((old) => {
    const fresh = current.corpora.find((corpus) => corpus.name === old.name);
    if (!fresh) return old;
    const mergedCorpus = { ...old, ...fresh };
    for (const [part, keys] of Object.entries(partKeys)) if (!parts.has(part)) for (const key of keys) if (key in old) mergedCorpus[key] = old[key];
    return mergedCorpus;
  });
  for (const fresh of current.corpora) if (!corpora.some((corpus) => corpus.name === fresh.name)) corpora.push(fresh);
  // A part counts as measured only when every corpus has it (an --only run measures one corpus).
  const measured = { ...(previous.measured ?? {}) };
  for (const part of parts) if (part === "ledger" || part === "contracts" || part === "view" || only === undefined) measured[part] = current.date;
  return { ...previous, ...current, command: `${previous.command ?? ""} + ${current.command}`.replace(/^ \+ /, ""), corpora, ledger: current.ledger ?? previous.ledger, contracts: current.contracts ?? previous.contracts, view: current.view ?? previous.view, measured, parts: allParts.filter((part) => measured[part]) };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** `selfheal check` on a corpus, measured: its JSON report, and how many files failed analysis. */
async function checkCorpus(corpus) {
  const ours = await measure(selfhealScript, ["check", corpus.folder, "--format", "json", "--fail-on", "never"]);
  if (ours.code !== 0) throw new Error(`selfheal check exited with ${ours.code}: ${ours.stderr.slice(-2000)}`);
  // A rule that throws loses the file's findings (and skips the rest of its work): say so.
  return { ...ours, report: JSON.parse(ours.stdout), failedFiles: (ours.stderr.match(/^error: analysis of .* failed/gm) ?? []).length };
}

/** Source files (relative, `/`-separated) longer than `limit` characters: the ones the engine does not run rules on. */
function oversized(folder, limit) {
  return fs
    .readdirSync(path.join(folder, "src"), { recursive: true })
    .map((file) => path.join("src", file).split(path.sep).join("/"))
    .filter((file) => /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file) && fs.readFileSync(path.join(folder, file), "utf8").length > limit)
    .sort();
}

/** Runs a Node CLI script through bench/measure.cjs: wall time from here, peak RSS and CPU time from inside. */
async function measure(script, args) {
  const out = path.join(os.tmpdir(), `selfheal-bench-${process.pid}.json`);
  const started = performance.now();
  const { code, stdout, stderr } = await run(process.execPath, [path.join(root, "bench/measure.cjs"), script, ...args], { BENCH_MEASURE_OUT: out });
  const wallMs = performance.now() - started;
  const figures = JSON.parse(fs.readFileSync(out, "utf8"));
  fs.rmSync(out, { force: true });
  return { code, stdout, stderr, wallMs, ...figures };
}

async function runJson(script, args, { showProgress = false } = {}) {
  const { code, stdout, stderr } = await run(process.execPath, [script, ...args], {}, showProgress);
  if (code !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`);
  // One JSON object: on the last line, or (pretty-printed) the whole output.
  const text = stdout.trim();
  try {
    return JSON.parse(text.split("\n").at(-1));
  } catch {
    return JSON.parse(text.slice(text.indexOf("{")));
  }
}

/** `showProgress`: pass the child's `[bench]` lines on to our stderr as they come. */
function run(command, args, env = {}, showProgress = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => {
      stderr.push(chunk);
      if (showProgress) for (const line of chunk.toString().split("\n")) if (line.startsWith("[bench]")) console.error(line);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
  });
}

function readOr(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
