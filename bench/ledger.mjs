// Ledger benchmark: append latency with fsync (1,000 appends through the real lock + tail read +
// single write + fsync path) and verification time of a 100,000-entry ledger.
// Imports the compiled engine from out/server (run `npx tsc -b server` first; `npm run bench` does).
//   node bench/ledger.mjs [--dir <folder>] [--appends <n>] [--entries <n>] [--runs <n>]
// --dir picks the file system to measure (default: the OS temp folder). Prints one JSON object.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.join(root, "out/server/src/engine/ledger");
if (!fs.existsSync(path.join(compiled, "append.js"))) {
  console.error(`bench/ledger.mjs: ${compiled} is missing; run \`npx tsc -b server\` first`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { appendEntry } = require(path.join(compiled, "append.js"));
const { genesisHash, newEntryId } = require(path.join(compiled, "entry.js"));
const { entryLine, sealEntry } = require(path.join(compiled, "hashing.js"));
const { describeChange } = require(path.join(compiled, "patches.js"));
const { readLedger } = require(path.join(compiled, "verify.js"));

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const baseDir = option("dir", os.tmpdir());
const appendCount = Number(option("appends", 1000));
const entryCount = Number(option("entries", 100_000));
const runs = Number(option("runs", 3));
/** Keep the generated 100k ledger at this path (for profiling). */
const keep = option("keep", undefined);

const rules = ["no-explicit-any", "floating-promise", "prefer-const", "no-var", "loose-equality", "unused-import"];

/** A module of 60 lines of ~65 characters, like the files quick fixes touch. */
function moduleText(variant) {
  const lines = [`import { helper${variant} } from "./helpers";`, ""];
  for (let index = 0; index < 58; index++) lines.push(`export const step${variant}_${index} = (input: any) => helper${variant}(input, ${index});`);
  return lines.join("\n") + "\n";
}

/** A pool of realistic changes (small patches over one to three files), cycled through by the generator. */
function changePool(size) {
  const pool = [];
  for (let variant = 0; variant < size; variant++) {
    // Most quick fixes touch one file; some two or three (an import fixed with its use).
    const fileCount = variant % 20 === 0 ? 3 : variant % 7 === 0 ? 2 : 1;
    const edits = Array.from({ length: fileCount }, (_, index) => {
      const before = moduleText(variant * 10 + index);
      const line = `step${variant * 10 + index}_${(variant * 7 + index) % 58} = (input: any)`;
      return { path: `src/feature${variant % 12}/module${index}.ts`, before, after: before.replace(line, line.replace("any", "unknown")) };
    });
    pool.push({ rule: rules[variant % rules.length], change: describeChange(edits) });
  }
  return pool;
}

function draft(template, n, time) {
  const { rule, change } = template;
  return {
    id: newEntryId(),
    time: time.toISOString(),
    actor: { kind: n % 4 === 0 ? "user" : "agent", name: n % 4 === 0 ? "dev@laptop" : "selfheal 0.1.0" },
    kind: "apply",
    rule,
    rationale: `Fix ${rule} (change ${n}): the value is only passed on, so unknown keeps every caller type-safe.`,
    plan: { planId: `plan-${n.toString(16).padStart(12, "0")}`, files: change.files.length, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved, exportedApiTouched: n % 9 === 0, protectedPathsTouched: [] },
    impact: change.files.map((file) => file.path.replace("module", "consumer")),
    decision: { outcome: n % 6 === 0 ? "review" : "auto", reasons: [{ message: `rules.${rule}.autofix is auto`, origin: { file: ".selfheal/policy.yaml", line: 7 + (n % 5), key: `rules.${rule}.autofix` } }] },
    evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 0, durationMs: 4000 + (n % 1000) }] },
    files: change.files,
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
  };
}

const verifyScript = `
const { verifyLedger } = require(process.argv[1]);
const started = performance.now();
const cpu = process.cpuUsage();
verifyLedger(process.argv[2]).then((result) => {
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result }));
});
`;

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

const round = (value) => Math.round(value * 100) / 100;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const workDir = fs.mkdtempSync(path.join(baseDir, "selfheal-ledger-bench-"));
try {
  const pool = changePool(60);

  // Appends: each through the whole path (lock file, tail read, one write, fsync, unlock).
  const appendLedger = path.join(workDir, "append", ".selfheal", "ledger.jsonl");
  const durations = [];
  for (let n = 0; n < appendCount; n++) {
    const entryDraft = draft(pool[n % pool.length], n, new Date());
    const started = performance.now();
    await appendEntry(appendLedger, entryDraft);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);

  // A 100,000-entry ledger, chained by the same code that appends (written in bulk: fsync per entry would only measure the disk).
  const bigLedger = path.join(workDir, "verify", ".selfheal", "ledger.jsonl");
  fs.mkdirSync(path.dirname(bigLedger), { recursive: true });
  const generationStarted = performance.now();
  const fd = fs.openSync(bigLedger, "w");
  let prev = genesisHash;
  let batch = [];
  const start = Date.parse("2025-01-01T00:00:00Z");
  for (let n = 1; n <= entryCount; n++) {
    const entry = sealEntry(draft(pool[n % pool.length], n, new Date(start + n * 60_000)), n, prev);
    prev = entry.predicate.chain.hash;
    batch.push(entryLine(entry));
    if (batch.length === 1000) {
      fs.writeSync(fd, batch.join(""));
      batch = [];
    }
  }
  fs.writeSync(fd, batch.join(""));
  fs.closeSync(fd);
  const generationMs = performance.now() - generationStarted;
  const ledgerBytes = fs.statSync(bigLedger).size;

  // Each verification in a fresh process, as `selfheal ledger verify` runs (not in this one's heap, full of the generator's garbage).
  const verifyRuns = [];
  const verifyCpu = [];
  for (let run = 0; run < runs; run++) {
    const { ms, cpuMs, result } = JSON.parse(execFileSync(process.execPath, ["-e", verifyScript, path.join(compiled, "verify.js"), bigLedger], { encoding: "utf8" }));
    verifyRuns.push(ms);
    verifyCpu.push(cpuMs);
    if (!result.intact || result.entries !== entryCount) throw new Error(`the generated ledger did not verify: ${JSON.stringify(result)}`);
  }
  const readStarted = performance.now();
  const { entries } = await readLedger(bigLedger);
  const readLedgerMs = performance.now() - readStarted;
  if (entries.length !== entryCount) throw new Error(`readLedger returned ${entries.length} entries`);
  if (keep) fs.copyFileSync(bigLedger, keep);

  console.log(
    JSON.stringify(
      {
        appendP50Ms: round(percentile(durations, 0.5)),
        appendP99Ms: round(percentile(durations, 0.99)),
        appendMaxMs: round(durations.at(-1)),
        appends: appendCount,
        verify100kMs: round(median(verifyRuns)),
        verifyRunsMs: verifyRuns.map(round),
        // CPU time is what the machine's load does not inflate: on a busy machine, compare this with the target too.
        verify100kCpuMs: round(median(verifyCpu)),
        readLedger100kMs: round(readLedgerMs),
        entries: entryCount,
        ledgerMB: round(ledgerBytes / 1024 / 1024),
        meanEntryBytes: Math.round(ledgerBytes / entryCount),
        generationMs: Math.round(generationMs),
        targets: { appendP99Ms: 10, verify100kMs: 2000 },
        met: { appendP99: percentile(durations, 0.99) <= 10, verify100k: median(verifyRuns) <= 2000 },
        fileSystem: baseDir,
        node: process.version,
        platform: `${os.platform()} ${os.arch()}, ${os.cpus().length} CPU(s)`,
        loadAverage: os.loadavg().map(round),
      },
      null,
      2,
    ),
  );
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
