// Turns the raw figures of scripts/bench.mjs into tables: docs/benchmarks.md and the stdout summary.

/** Nearest-rank percentile. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values) => percentile(values, 50);

const ms = (value) => (Number.isNaN(value) ? "n/a" : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const met = (ok) => (ok ? "✅ met" : "❌ missed");

/** One row per figure: [measure, ours, baseline, ratio, target, met]. */
function rows(corpus) {
  const { full, edits, codeActions } = corpus;
  const result = [];
  const fullRow = (label, key, format, target) => {
    const ours = median(full.ours[key]);
    const tsc = median(full.tsc[key]);
    result.push([label, format(ours), `\`tsc --noEmit\` ${format(tsc)}`, ratio(ours, tsc), target ? `≤ ${target}× tsc` : "info", target ? met(ours <= target * tsc) : ""]);
  };
  fullRow(`Full analysis, wall time (median of ${full.ours.wallMs.length})`, "wallMs", ms, 1.5);
  fullRow(`Full analysis, peak RSS (median of ${full.ours.wallMs.length})`, "maxRssKB", mb, 1.5);
  fullRow("Full analysis, CPU time user+sys (median)", "cpuMs", ms, undefined);

  const syntax = edits.engine.map((edit) => edit.syntaxMs);
  result.push([`Syntactic findings after an edit, p50 / p95 (${syntax.length} edits)`, `${ms(median(syntax))} / ${ms(percentile(syntax, 95))}`, "", "", "p95 ≤ 50 ms", met(percentile(syntax, 95) <= 50)]);
  const types = edits.engine.map((edit) => edit.typesMs);
  const floor = edits.floor.map((edit) => edit.semanticMs);
  for (const p of [50, 95]) {
    const [ours, base] = [percentile(types, p), percentile(floor, p)];
    result.push([`Type-aware findings after an edit, p${p}`, ms(ours), `LS \`getSemanticDiagnostics\` ${ms(base)}`, ratio(ours, base), "≤ 1.2× floor", met(ours <= 1.2 * base)]);
  }
  const dependents = edits.engine.filter((edit) => edit.dependentsMs !== undefined);
  if (dependents.length > 0) {
    const times = dependents.map((edit) => edit.dependentsMs);
    const counts = dependents.map((edit) => edit.dependents);
    result.push([
      `Re-check of the edited file's dependents, p50 / max (${dependents.length} edits)`,
      `${ms(median(times))} / ${ms(Math.max(...times))}`,
      `${median(counts)} dependents (median), ${Math.max(...counts)} max`,
      "",
      "info",
      "",
    ]);
  }
  const actions = codeActions.timings;
  result.push([`Code action through the LSP server, p50 / p95 (${actions.length} requests)`, `${ms(median(actions))} / ${ms(percentile(actions, 95))}`, "", "", "p95 ≤ 100 ms", met(percentile(actions, 95) <= 100)]);
  const { busy } = codeActions;
  result.push([
    `Code action while the server re-checks after an edit of \`${busy.file}\`, p50 / p95 / max (${busy.timings.length} requests)`,
    `${ms(median(busy.timings))} / ${ms(percentile(busy.timings, 95))} / ${ms(Math.max(...busy.timings))}`,
    `re-check took ${ms(busy.recheckMs)}`,
    "",
    "info",
    "",
  ]);
  result.push(["LSP server start-up to first idle status (full analysis)", ms(codeActions.startupMs), "", "", "info", ""]);
  return result;
}

function table(corpus) {
  const header = ["Measure", "Self-Healing Code", "Baseline", "Ratio", "Target", "Result"];
  const lines = [header, header.map(() => "---"), ...rows(corpus)].map((cells) => `| ${cells.join(" | ")} |`);
  return lines.join("\n");
}

function corpusSection(corpus) {
  const { edits, codeActions } = corpus;
  return [
    `### ${corpus.name}@${corpus.version}`,
    "",
    `${corpus.files} source files in \`src/\` (${corpus.lines.toLocaleString("en-US")} lines). \`tsc --noEmit\` reports ${corpus.tscErrors} error(s) with the benchmark's tsconfig; ` +
      `\`selfheal check\` reports ${corpus.findings} finding(s)` +
      (corpus.failedFiles > 0 ? ` (**${corpus.failedFiles} file(s) failed analysis**: a rule threw, so their figures are too low)` : "") +
      `. ${codeActions.published} diagnostics published by the server in ${codeActions.filesWithDiagnostics} files; ` +
      `the ${codeActions.timings.length} code-action requests returned ${codeActions.actions} actions.`,
    "",
    table(corpus),
    "",
    `Edits: ${edits.engine.length} files, one statement inserted in each (\`${edits.sample}\`). Slowest type-aware edits: ` +
      slowest(edits).map(({ file, typesMs, semanticMs }) => `\`${file}\` ${ms(typesMs)} (floor ${ms(semanticMs)})`).join(", ") +
      "." +
      (edits.failures > 0 ? ` **${edits.failures} file analyses failed** during this part (a rule threw).` : ""),
  ].join("\n");
}

function slowest(edits) {
  return edits.engine
    .map((edit, index) => ({ file: edit.file, typesMs: edit.typesMs, semanticMs: edits.floor[index]?.semanticMs ?? NaN }))
    .sort((a, b) => b.typesMs - a.typesMs)
    .slice(0, 3);
}

function machineLines(results) {
  const { machine } = results;
  return [
    `- Date: ${results.date}`,
    `- Command: \`${results.command}\` (total ${Math.round(results.totalMs / 1000)} s)`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGB} GB`,
    `- Node ${machine.node}, TypeScript ${machine.typescript}`,
    // The benchmark itself keeps about 1.5 cores busy (the checker plus V8's GC threads), so only
    // the load before it started says whether other work shared the machine.
    `- Load average (1 min) before / after the run: ${machine.loadStart} / ${machine.loadEnd}${machine.loadStart > machine.cores / 2 ? " (other work was running when the benchmark started: wall times are noisier than CPU times)" : ""}`,
  ];
}

export function renderSummary(results) {
  return [...machineLines(results), "", ...results.corpora.flatMap((corpus) => [corpusSection(corpus), ""])].join("\n");
}

export function renderMarkdown(results) {
  return `# Benchmarks

<!-- Generated by \`npm run bench\` (scripts/bench.mjs); edits to this file are overwritten. -->

How Self-Healing Code compares with the TypeScript compiler on real, large TypeScript code:
the sources of two npm packages, downloaded by the benchmark into \`.cache/bench/\` and
type-checked with a tsconfig close to the package's own (strict; see bench/corpora.mjs).

- **Full analysis**: \`selfheal check <corpus> --format json --fail-on never\` (program, every
  rule, type-aware ones included) against \`tsc --noEmit -p <corpus>\` on the same files. Each
  runs ${results.runs} times, alternating, in a fresh process; the median is reported. Peak RSS and CPU
  time come from \`process.resourceUsage()\` in the measured process (bench/measure.cjs), the same
  way for both. Both build the same program; files over \`selfheal.maxFileSizeKB\` (1 MiB by
  default: generated bundles) are in it but not run through the rules, as in everyday use.
- **Edit latency**: one statement (\`const __bench_N: number = N;\`) is inserted into a function
  body of each of ${results.edits} files spread over the corpus (tests excluded), through
  \`engine.updateDocument\`. *Syntactic* is \`updateDocument\` + \`analyzeSyntax\` + \`findingsFor\`;
  *type-aware* is \`analyzeTypes\` + \`findingsFor\` on the edited file. The floor is a plain
  \`ts.LanguageService\` on the same tsconfig, in its own process, timing \`getSemanticDiagnostics\`
  for the same edits: a new program and a new checker after each edit is what both pay. Before
  the edits, the engine runs its syntactic pass over every file (that builds the import graph)
  and both sides warm their type-aware code paths on the first five files. The re-check of
  dependents (every file that imports the edited one, transitively) is sampled on every fifth
  edit within a time budget, as information.
- **Code actions**: \`node dist/selfheal.js lsp --stdio\` driven by
  \`vscode-languageserver-protocol\`; after the start-up analysis has published and reported idle,
  ${results.requests} \`textDocument/codeAction\` requests for published diagnostics, one at a time. As
  information, the same requests are then sent back to back while the server is busy: a module
  most of the corpus imports is opened and given a new export, so the server re-checks every
  file that depends on it; the row shows how long a request waits behind that work.

Targets: full analysis ≤ 1.5× tsc in wall time and peak RSS; syntactic findings p95 ≤ 50 ms;
type-aware findings ≤ 1.2× the LanguageService floor at p50 and p95; code actions p95 ≤ 100 ms.

## Machine

${machineLines(results).join("\n")}

## Results

${results.corpora.map(corpusSection).join("\n\n")}
`;
}
