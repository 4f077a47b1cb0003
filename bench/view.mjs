// Opening the provenance view on a 100,000-entry ledger (issue 7: "opening the view ≤ 1 s there"),
// in Debian's headless Chromium through the webview tests' own harness (out/test/webview): the
// real page, its CSP and assets served from a worker thread, and the real host side
// (ProvenanceSession over a FileLedgerView) answering it. Each opening is timed by the page on its
// own clock from the start of its navigation: HTML received, the page's script run, the first
// entry row in the DOM, and the frame after it (first rows visible).
//
// The floor, opened alternately with the view in the same browser (after one uncounted opening):
// a page with no script that shows 200 static rows in the same markup and CSS, served the same
// way. What the view costs over it is what our page and host add to "Chromium shows a webview
// page with rows".
//
// The host side alone (no browser): a FileLedgerView reading the same ledger, the time to the
// newest entries and to the answer of the page's first rows request, then to every entry listed
// and the chain verified.
//
// The ledger is made by the webview tests' generator (bigLedger) and kept in --dir, named by a
// hash of the generator and the ledger code it uses, so a change to either makes a new one.
//   node bench/view.mjs [--openings <n>] [--entries <n>] [--dir <folder>]
// Needs `npm run -s build` (media/provenance) and `npx tsc -b` (out/). Prints one JSON object.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "out");
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const openings = positive("openings", 5);
const entryCount = positive("entries", 100_000);
const cacheDir = path.resolve(option("dir", path.join(root, ".cache", "bench")));
const floorRows = 200;
const targetMs = 1000;
const log = (message) => console.error(`[bench] view: ${message}`);

/** The webview tests' generator and the ledger code it calls: what decides the ledger's bytes. */
const generatorFiles = ["test/webview/fixtures.js", "server/src/engine/ledger/hashing.js", "server/src/engine/ledger/entry.js", "server/src/engine/ledger/patches.js"];
for (const needed of [...generatorFiles, "test/webview/harness.js", "server/src/engine/ledger/view/fileLedgerView.js", "client/src/provenance/session.js"]) {
  if (!fs.existsSync(path.join(out, needed))) fail(`${path.join(out, needed)} is missing: run \`npx tsc -b\` first`);
}
const { firstRowsTimings, launchChromium, openView, serve, watchFirstRows } = require(path.join(out, "test/webview/harness.js"));
const { FileLedgerView } = require(path.join(out, "server/src/engine/ledger/view/fileLedgerView.js"));
const { ProvenanceSession } = require(path.join(out, "client/src/provenance/session.js"));

const ledgerFile = cachedLedger();
const ledgerMB = Math.round(fs.statSync(ledgerFile).size / 2 ** 20);
const browser = await launchChromium();
const browserVersion = browser.version();
const view = [];
const floor = [];
try {
  // Uncounted: the browser's first tab pays for starting a renderer, which a webview in a running VS Code does not.
  await openFloor();
  // Alternating, so that a slower stretch of a shared machine falls on both sides.
  for (let opening = 1; opening <= openings; opening++) {
    floor.push(await openFloor());
    view.push(await openProvenanceView());
    log(`opening ${opening}/${openings}: first rows visible ${Math.round(view.at(-1).firstRows)} ms (floor page ${Math.round(floor.at(-1).firstRows)} ms)`);
  }
} finally {
  await browser.close();
}
const host = [];
for (let run = 1; run <= openings; run++) {
  host.push(await hostOpening());
  log(`host ${run}/${openings}: newest rows answered at ${Math.round(host.at(-1).firstRowsAnsweredMs)} ms, every entry listed at ${Math.round(host.at(-1).allListedMs)} ms, verified at ${Math.round(host.at(-1).verifiedMs)} ms`);
}
console.log(JSON.stringify({ entries: entryCount, ledgerMB, openings, targetMs, floorRows, view, floor, host, chromium: browserVersion }));

/**
 * One opening of the view, as test/webview/largeLedger.test.ts does it: the newest entry must be the
 * first row, and the next opening waits until this one's host has verified the chain, so every
 * opening starts with the host idle.
 */
async function openProvenanceView() {
  const opened = await openView(browser, ledgerFile, { folder: "big" });
  try {
    const timings = await firstRowsTimings(opened.page);
    const first = (await opened.page.locator(".row:not(.placeholder) .seq").first().textContent()) ?? "";
    if (first !== `#${entryCount}`) fail(`the view's first row is '${first}', not #${entryCount}: the page does not show the newest entry first`);
    await opened.page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 120_000 });
    const problems = await opened.problems();
    if (problems.length > 0) fail(`the view's page reported problems: ${problems.join("; ")}`);
    return timings;
  } finally {
    await opened.close();
  }
}

/** The floor: the same origin, server, viewport and stylesheet, with static rows and no script. */
async function openFloor() {
  const server = await serve((origin) => floorHtml(origin));
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  try {
    await watchFirstRows(page);
    await page.goto(`${server.origin}/`);
    const timings = await firstRowsTimings(page);
    const rows = await page.locator(".row").count();
    if (rows !== floorRows) fail(`the floor page has ${rows} rows, not ${floorRows}`);
    return timings;
  } finally {
    await page.close();
    await server.close();
  }
}

/** Rows in the markup the view's timeline makes (client/src/provenance/page/timeline.ts), placed as it places them. */
function floorHtml(origin) {
  const rowHeight = 46;
  const rows = Array.from({ length: floorRows }, (_, index) => {
    const seq = entryCount - index;
    return (
      `<div class="row" role="option" style="transform: translateY(${index * rowHeight}px)">` +
      `<div class="row-top"><span class="seq">#${seq}</span><span class="chip kind kind-apply">apply</span><span class="subject">no-explicit-any</span>` +
      `<span class="chip outcome outcome-auto">auto</span><span class="time">2025-03-01 10:00</span></div>` +
      `<div class="row-bottom"><span class="files">src/feature${seq % 12}/module0.ts</span><span class="actor">agent selfheal 0.1.0</span></div></div>`
    );
  });
  // No CSP: it would refuse the rows' style attributes, which the view sets through the CSSOM instead.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${origin}/media/provenance.css">
<title>Floor</title>
</head>
<body>
<main id="app"><div class="timeline" role="listbox"><div class="timeline-spacer" style="height: ${floorRows * rowHeight}px">${rows.join("")}</div></div></main>
</body>
</html>
`;
}

/** The host code alone: reading the ledger, and answering the page's first rows request as soon as the newest entries are in. */
async function hostOpening() {
  const fileView = new FileLedgerView(ledgerFile);
  const figures = {};
  const hostLog = [];
  let started = 0;
  const since = () => performance.now() - started;
  const post = (message) => {
    if (message.type === "rows" && message.page.rows.length > 0) figures.firstRowsAnsweredMs ??= since();
  };
  const session = new ProvenanceSession(fileView, { folder: "big", readOnly: true }, post, { copy: async () => undefined }, (line) => hostLog.push(line));
  fileView.onDidChange(() => {
    const state = fileView.state();
    if (figures.newestMs === undefined) {
      figures.newestMs = since();
      void session.receive({ type: "rows", requestId: 1, filter: {}, offset: 0, count: 100 });
    }
    if (state.listing === "all") figures.allListedMs ??= since();
    if (state.integrity.state !== "checking") figures.verifiedMs ??= since();
  });
  started = performance.now();
  await fileView.load();
  const { integrity, listed } = fileView.state();
  fileView.dispose();
  if (integrity.state !== "intact" || listed !== entryCount) fail(`the host read ${listed} entries with integrity '${integrity.state}', not ${entryCount} intact ones`);
  if (figures.firstRowsAnsweredMs === undefined) fail(`the host never answered the first rows request${hostLog.length > 0 ? `: ${hostLog.join("; ")}` : ""}`);
  return figures;
}

/** The generated ledger, from the cache when the generator and the ledger code are unchanged. */
function cachedLedger() {
  const hash = createHash("sha256");
  for (const file of generatorFiles) hash.update(fs.readFileSync(path.join(out, file)));
  const name = `view-ledger-${entryCount}-${hash.digest("hex").slice(0, 12)}.jsonl`;
  const file = path.join(cacheDir, name);
  if (fs.existsSync(file)) {
    log(`reusing ${path.relative(root, file)}`);
    return file;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  // Other sizes and older generators' ledgers (about 280 MB each) go.
  for (const old of fs.readdirSync(cacheDir)) if (/^view-ledger-.*\.jsonl(\.partial)?$/.test(old)) fs.rmSync(path.join(cacheDir, old), { force: true });
  const { bigLedger } = require(path.join(out, "test/webview/fixtures.js"));
  const { removeTempDirs } = require(path.join(out, "test/unit/helpers/workspace.js"));
  const started = performance.now();
  try {
    const fixture = bigLedger(entryCount);
    // Copied under a temporary name and renamed: a run cut short leaves no half ledger under the real name.
    fs.copyFileSync(fixture.location.ledgerFile, `${file}.partial`);
    fs.renameSync(`${file}.partial`, file);
  } finally {
    removeTempDirs();
  }
  log(`generated ${entryCount.toLocaleString("en-US")} entries in ${Math.round(performance.now() - started)} ms into ${path.relative(root, file)}`);
  return file;
}

function positive(name, fallback) {
  const value = Number(option(name, fallback));
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a whole number of at least 1, not '${option(name, fallback)}'`);
  return value;
}

function fail(message) {
  throw new Error(`bench/view.mjs: ${message}`);
}
