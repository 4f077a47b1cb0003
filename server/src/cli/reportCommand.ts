/**
 * `selfheal report [PATH] [--html FILE] [--format text|json]`: the provenance view for readers
 * outside the editor. `--html` writes one self-contained static HTML file (a CI artifact, a
 * pull-request attachment): the same page script and style as the VS Code view, inlined, with
 * the ledger's lines embedded as JSON; a Content-Security-Policy allows exactly those two inline
 * blocks (by hash) and nothing else, no network. `--format json` prints the metrics.
 *
 * Exit codes: 0 the ledger is intact (or there is none), 1 it is not intact (the report is still
 * written: it shows where the chain breaks), 2 usage error, 3 internal error.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { healthLogFile, readHealthLog } from "../engine/health/healthLog";
import type { HealthSeries } from "../engine/health/healthSample";
import { forEachLedgerLine } from "../engine/ledger/ledgerLines";
import { FileLedgerView } from "../engine/ledger/view/fileLedgerView";
import type { IntegrityView } from "../engine/ledger/view/integrityView";
import type { LedgerMetrics } from "../engine/ledger/view/ledgerMetrics";
import { folderLedger } from "../engine/policy/folderLedger";
import { oneOf, parseArgs, UsageError } from "./args";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";

/** For main's usage text. */
export const reportUsage = `  selfheal report [PATH] [--html FILE] [--format text|json]
                                                        the provenance ledger for reviewers: a static HTML view, or its metrics`;

export interface ReportJson {
  folder: string;
  ledger: string;
  integrity: IntegrityView;
  metrics: LedgerMetrics;
}

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ["html", "format"], []);
  if (args.positionals.length > 1) throw new UsageError(`report takes one folder (got ${args.positionals.join(" ")})`);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  const html = args.flags.get("html");
  if (html === true) throw new UsageError("--html needs a file name");
  const folder = path.resolve(args.positionals[0] ?? ".");
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${folder} (give the workspace folder that holds .selfheal/)`);

  const ledger = folderLedger(folder);
  if (!ledger.ok) {
    io.stderr(`selfheal: ledger-location-unknown: ${ledger.message}\n`);
    return ExitCode.findings;
  }
  const location = ledger.location;
  const view = new FileLedgerView(location.ledgerFile);
  await view.load();
  const { integrity, metrics } = view.state();
  if (!metrics) throw new Error("the ledger view finished reading without metrics");

  if (html !== undefined) {
    const output = path.resolve(html);
    await writeReportHtml(output, { title: path.basename(folder), ledgerFile: location.ledgerFile, integrity, health: readHealthLog(healthLogFile(folder)) });
    io.stderr(`wrote ${path.relative(process.cwd(), output) || output} (${metrics.entries} ${metrics.entries === 1 ? "entry" : "entries"})\n`);
  }
  if (format === "json") {
    const report: ReportJson = { folder, ledger: location.ledgerFile, integrity, metrics };
    io.stdout(JSON.stringify(report, null, 2) + "\n");
  } else {
    io.stdout(textReport(integrity, metrics));
  }
  return integrity.state === "broken" || integrity.state === "unreadable" ? ExitCode.findings : ExitCode.ok;
}

function textReport(integrity: IntegrityView, metrics: LedgerMetrics): string {
  const percent = (rate: number | null) => (rate === null ? "n/a" : `${(rate * 100).toFixed(1)}%`);
  const hours = (ms: number | null) => (ms === null ? "n/a" : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
  const integrityLine =
    integrity.state === "intact"
      ? `ledger intact: ${integrity.entries} entries${integrity.head ? `, head seq ${integrity.head.seq} (${integrity.head.hash.slice(0, 12)}…)` : ""}`
      : integrity.state === "broken"
        ? `${integrity.messageId}: line ${integrity.firstBad.line}${integrity.firstBad.seq !== undefined ? `, seq ${integrity.firstBad.seq}` : ""}: ${integrity.firstBad.detail}`
        : integrity.state === "no-ledger"
          ? "no ledger: nothing has been recorded yet"
          : integrity.state === "unreadable"
            ? `the ledger could not be read: ${integrity.reason}`
            : "integrity unknown";
  const lines = [
    integrityLine,
    `changes applied:          ${metrics.changesApplied}`,
    `verification pass rate:   ${percent(metrics.verification.passRate)} (${metrics.verification.passed} passed, ${metrics.verification.failed} failed, ${metrics.verification.notVerified} not verified)`,
    `change failure rate:      ${percent(metrics.rollbacks.changeFailureRate)} (${metrics.rollbacks.changesRolledBack} rolled back)`,
    `median time to rollback:  ${hours(metrics.rollbacks.medianTimeToRollbackMs)}`,
    ...metrics.byRule.slice(0, 20).map((rule) => `  ${rule.subject}: ${rule.applied} applied, ${rule.rolledBack} rolled back`),
  ];
  return lines.join("\n") + "\n";
}

export interface ReportHtmlInput {
  title: string;
  ledgerFile: string;
  integrity: IntegrityView;
  /** The workspace's health log, shown in the health section. */
  health?: HealthSeries;
  generatedAt?: Date;
}

/**
 * Writes the report: streamed (a 100,000-entry ledger is a few hundred MB and is never held as
 * one string), to a temporary file renamed into place, so a reader never sees half a report.
 */
export async function writeReportHtml(output: string, input: ReportHtmlInput): Promise<void> {
  const { script, style } = pageAssets();
  const scriptHash = cspHash(script);
  const styleHash = cspHash(style);
  const head = {
    format: "selfheal-provenance-report/1",
    title: input.title,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    integrity: input.integrity,
    ...(input.health ? { health: input.health } : {}),
  };
  const temporary = `${output}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const fd = fs.openSync(temporary, "w");
  let pending = "";
  const write = (text: string) => {
    pending += text;
    if (pending.length > 1 << 20) flush();
  };
  const flush = () => {
    fs.writeSync(fd, pending);
    pending = "";
  };
  try {
    write(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '${scriptHash}'; style-src '${styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="selfheal report">
<title>Provenance report</title>
<style>${style}</style>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="ledger-data">`);
    // The data block ends at the first "</script" whatever JSON thinks: every <, > and & is escaped, so none can occur.
    write(scriptSafeJson(head).slice(0, -1) + ',"lines":[');
    let first = true;
    await forEachLedgerLine(input.ledgerFile, (line) => {
      write((first ? "" : ",") + scriptSafeJson(line.bytes.toString("utf8")));
      first = false;
    });
    write(`]}</script>
<script>${script}</script>
</body>
</html>
`);
    flush();
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temporary, output);
}

/** JSON that can sit inside a <script> element: <, >, & and the JavaScript line separators as \u escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The CSP source for an inline block: 'sha256-' and the base64 of the sha256 of its exact text. */
export function cspHash(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

/**
 * The page's script and style, from media/provenance beside the bundle (dist/selfheal.js →
 * ../media) or above the compiled sources (out/server/src/cli → the repository). Refuses text
 * that would end its inline element early.
 */
export function pageAssets(): { script: string; style: string } {
  let folder = __dirname;
  for (let depth = 0; depth < 6; depth++, folder = path.dirname(folder)) {
    const media = path.join(folder, "media", "provenance");
    if (!fs.existsSync(path.join(media, "provenance.js"))) continue;
    const script = fs.readFileSync(path.join(media, "provenance.js"), "utf8");
    const style = fs.readFileSync(path.join(media, "provenance.css"), "utf8");
    if (/<\/script|<!--/i.test(script)) throw new Error(`${media}/provenance.js contains "</script" or "<!--", so it cannot be inlined`);
    if (/<\/style/i.test(style)) throw new Error(`${media}/provenance.css contains "</style", so it cannot be inlined`);
    return { script, style };
  }
  throw new Error(`the provenance page (media/provenance/provenance.js) was not found above ${__dirname}; run \`npm run build\``);
}
