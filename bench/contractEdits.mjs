// Live contract drift in the editor: how long after an edit of an exported function's signature
// the language server publishes the contract findings that match it (docs/contracts.md, "In the
// editor"; target ≤ 200 ms on the zod corpus). A copy of the corpus gets a baseline of its main
// entry (`zod`), the built server (dist/selfheal.js) is started over stdio, the file is opened,
// and its signature is edited N times, alternately adding an optional parameter (an additive
// change) and removing it again (no drift). Each sample is the time from sending the edit to the
// first publish of that file whose contract findings are the expected ones; the contract pass's
// own debounce (scheduler.ts, `contractDebounceMs`) is part of it, the type-aware pass's
// (`debounceMs`, sent as a setting) is not since the contract pass runs ahead of it.
// Beside it, the floor: what TypeScript itself needs before any live check can see the edit, in
// this process with a LanguageService over the same corpus and the same edits: the program
// updated and the edited function's signature written by its (fresh) checker. And the server's
// memory (resident set now and at its peak, from /proc, on Linux).
//   node bench/contractEdits.mjs [--edits <n>] [--debounce <ms>] [--file <path in the corpus>] [--function <name>] [--verbose]
// Needs `npm run -s build` and `npx tsc -b` (the engine and the test client from out/). Prints one JSON object.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function measureContractEdits({ root = defaultRoot, corpusFolder = path.join(root, ".cache", "bench", "zod"), edits = 20, debounceMs = 150, file = "src/v4/classic/compat.ts", functionName = "setErrorMap", verbose = false, log = (message) => console.error(`[bench] ${message}`) } = {}) {
  const out = path.join(root, "out");
  for (const needed of ["server/src/engine/analysis/engine.js", "test/lsp/lspClient.js"]) if (!fs.existsSync(path.join(out, needed))) throw new Error(`${path.join(out, needed)} is missing: run \`npx tsc -b\` first`);
  if (!fs.existsSync(path.join(root, "dist", "selfheal.js"))) throw new Error("dist/selfheal.js is missing: run `npm run -s build` first");
  if (!fs.existsSync(path.join(corpusFolder, "tsconfig.json"))) throw new Error(`${corpusFolder} has no tsconfig.json: prepare the corpus first (bench/corpora.mjs)`);
  const { Engine } = require(path.join(out, "server/src/engine/analysis/engine.js"));
  const { snapshotContract, writeSnapshot } = require(path.join(out, "server/src/engine/contracts/contractRunner.js"));
  const { LspClient } = require(path.join(out, "test/lsp/lspClient.js"));
  const { contractDebounceMs } = require(path.join(out, "server/src/lsp/scheduler.js"));
  const ts = require(path.join(root, "node_modules/typescript"));

  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-bench-contracts-")));
  let client;
  try {
    fs.cpSync(corpusFolder, folder, { recursive: true, filter: (source) => !source.includes(`${path.sep}.selfheal`) });
    const snapshotStarted = performance.now();
    const engine = new Engine();
    engine.workspace.addFolder(folder);
    engine.policies.load(engine.workspace.folderList(), engine.workspace.policyFiles());
    const main = engine.contracts.targets().find((target) => target.name === "zod");
    if (!main) throw new Error(`no contract named 'zod' in ${folder}: ${engine.contracts.targets().map((target) => target.name).join(", ")}`);
    writeSnapshot(snapshotContract(main, (entry) => engine.workspace.projectOf(entry)?.program()));
    log(`baseline of '${main.name}' taken in ${Math.round(performance.now() - snapshotStarted)} ms`);

    const absolute = path.join(folder, file);
    const uri = pathToFileURL(absolute).href;
    const original = fs.readFileSync(absolute, "utf8");
    const signature = new RegExp(`(export function ${functionName}\\()([^)]*)\\)`);
    if (!signature.test(original)) throw new Error(`${file} has no 'export function ${functionName}(…)'`);
    // Odd edits add an optional parameter (additive drift), even ones take it away again (none).
    const textOf = (edit) => (edit % 2 === 1 ? original.replace(signature, (_, head, parameters) => `${head}${parameters}, benchOption${edit}?: number)`) : original);

    const started = performance.now();
    client = await LspClient.start({ folder, settings: { debounceMs } });
    // When each event arrived, for --verbose: the server's log lines of an edit, timed from the edit.
    const arrivals = [];
    const record = client.events.push.bind(client.events);
    client.events.push = (...events) => {
      for (const _ of events) arrivals.push(performance.now());
      return record(...events);
    };
    await client.whenAnalyzed(600_000);
    const startup = Math.round(performance.now() - started);
    const memoryAfterStartup = residentMemory(client.process.pid);
    log(`server analyzed the corpus and compared its contracts in ${startup} ms`);
    await client.open(uri, original);
    await client.waitFor(() => client.events.some((event) => event.kind === "status" && event.status.state === "idle"), 120_000, "idle after opening");

    const contractCodes = (diagnostics) => diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith("contract-"));
    const samples = [];
    for (let edit = 1; edit <= edits; edit++) {
      const drifted = edit % 2 === 1;
      const parameter = `benchOption${edit}`;
      const text = textOf(edit);
      const expected = (diagnostics) => {
        const found = contractCodes(diagnostics);
        return drifted ? found.some((diagnostic) => diagnostic.code === "contract-additive" && diagnostic.message.includes(parameter)) : found.length === 0;
      };
      const from = client.mark();
      const sent = performance.now();
      await client.replaceText(uri, text);
      await client.waitForEvent("publish", from, (event) => event.uri === uri && expected(event.diagnostics), `contract findings after edit ${edit}`, 120_000);
      samples.push(performance.now() - sent);
      // Let the pass finish (importers re-checked) before the next edit, as between two edits a person makes.
      await client.waitFor(() => client.events.slice(from).some((event) => event.kind === "status" && event.status.state === "idle"), 120_000, "idle");
      if (verbose) {
        log(`edit ${edit}: findings after ${Math.round(samples.at(-1))} ms`);
        for (let index = from; index < client.events.length; index++) {
          const event = client.events[index];
          if (event.kind === "log") log(`  +${Math.round(arrivals[index] - sent)} ms ${event.message}`);
        }
      }
    }
    const comparisons = client.events.flatMap((event) => (event.kind === "log" && /^contract drift: compared .* in ([\d.]+) ms$/.test(event.message) ? [Number(/in ([\d.]+) ms$/.exec(event.message)[1])] : []));
    const memory = residentMemory(client.process.pid);
    await client.dispose();
    client = undefined;
    log(`floor: the same ${edits} edits in a LanguageService in this process`);
    const floor = measureFloor({ ts, engine, file: absolute, functionName, edits, textOf }).sort((a, b) => a - b);
    const sorted = [...samples].sort((a, b) => a - b);
    const sortedComparisons = comparisons.slice(1).sort((a, b) => a - b); // The first is the start-up's full comparison.
    return {
      corpus: path.basename(corpusFolder),
      contract: main.name,
      file,
      function: functionName,
      edits,
      debounceMs,
      contractDebounceMs,
      startupMs: startup,
      editToFindingsMs: summary(sorted),
      comparisonMs: sortedComparisons.length ? { p50: round(percentile(sortedComparisons, 0.5)), p95: round(percentile(sortedComparisons, 0.95)) } : undefined,
      floorMs: summary(floor),
      serverMemoryMB: memory && { ...memory, peakAfterStartup: memoryAfterStartup?.peak },
    };
  } finally {
    await client?.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * TypeScript's part of any live check, per edit: the LanguageService's program brought up to the
 * edited text, and the edited function's signature written by its checker (new with each program).
 */
function measureFloor({ ts, engine, file, functionName, edits, textOf }) {
  const project = engine.workspace.projectOf(file);
  project.program();
  const samples = [];
  for (let edit = 1; edit <= edits; edit++) {
    engine.updateDocument(file, textOf(edit), edit + 1);
    const started = performance.now();
    const program = project.program();
    const checker = program.getTypeChecker();
    const declaration = program.getSourceFile(file).statements.find((statement) => ts.isFunctionDeclaration(statement) && statement.name?.text === functionName);
    checker.signatureToString(checker.getSignatureFromDeclaration(declaration));
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The resident set of a process now and at its peak (VmRSS, VmHWM), in MB; undefined where /proc does not say. */
function residentMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => Math.round(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)[1]) / 1024);
    return { current: field("VmRSS"), peak: field("VmHWM") };
  } catch {
    return undefined;
  }
}

function summary(sorted) {
  return { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), min: round(sorted[0]), max: round(sorted.at(-1)) };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function round(value) {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? fallback : args[index + 1];
  };
  const result = await measureContractEdits({ edits: Number(option("edits", 20)), debounceMs: Number(option("debounce", 150)), file: option("file", "src/v4/classic/compat.ts"), functionName: option("function", "setErrorMap"), verbose: args.includes("--verbose") });
  console.log(JSON.stringify(result, null, 2));
}
