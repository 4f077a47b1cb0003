/// <reference lib="dom" />
/**
 * The health section of the provenance view, from a fixture `.selfheal/health.jsonl`: the debt
 * index now and as a sparkline over time, findings by rule and by folder (one folder named like
 * markup), the ledger's change outcomes; a torn line is skipped and said so. The same in the
 * static report, which embeds the log.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { healthLogFile, readHealthLog, recordHealthSample } from "../../server/src/engine/health/healthLog";
import type { HealthSample } from "../../server/src/engine/health/healthSample";
import { FileLedgerView } from "../../server/src/engine/ledger/view/fileLedgerView";
import { writeReportHtml } from "../../server/src/cli/reportCommand";
import { makeTempDir, removeTempDirs } from "../unit/helpers/workspace";
import { intactLedger } from "./fixtures";
import { invalidMessages, launchChromium, openView, pwned, screenshot, watchProblems } from "./harness";

const hostileFolder = "<img src=x onerror=window.__pwned=1>";

/** Five samples a day apart, the debt index falling from 40 to 12; the last one has the hostile folder. */
function writeHealthLog(root: string): string {
  const file = healthLogFile(root);
  const debt = [40, 33.5, 30, 18.2, 12];
  debt.forEach((debtIndex, day) => {
    const sample: HealthSample = {
      time: new Date(Date.UTC(2025, 5, 1 + day, 9)).toISOString(),
      files: 120,
      lines: 10_000 + day,
      errors: 5 - day,
      warnings: 20 - day,
      debtIndex,
      byRule: { "no-explicit-any": 12 - day, "floating-promise": 5 - day, "import-cycle": 3 },
      byFolder: day === 4 ? { src: 9, [hostileFolder]: 4, test: 3 } : { src: 15 - day, test: 5 },
    };
    recordHealthSample(file, sample);
  });
  // A torn last line: skipped and said so, never fatal.
  fs.appendFileSync(file, '{"time":"2025-06-06T09:00:00.000Z","files":1');
  return file;
}

async function assertHealthSection(page: Page): Promise<void> {
  const workspace = page.locator('[data-health="workspace"]');
  await workspace.waitFor({ timeout: 10_000 });
  assert.equal(await workspace.locator(".tile-value").first().textContent(), "12");
  const points = await page.locator("svg.sparkline polyline").getAttribute("points");
  assert.equal(points?.trim().split(/\s+/).length, 5, "one point per sample");
  const label = (await page.locator("svg.sparkline").getAttribute("aria-label")) ?? "";
  assert.ok(label.includes("40 on 2025-06-01 09:00:00 UTC") && label.includes("12 on 2025-06-05 09:00:00 UTC"), label);

  const rows = async (which: string) => {
    await page.locator(`[data-health="${which}"] summary`).click();
    return page.locator(`[data-health="${which}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  };
  assert.deepEqual(await rows("by-rule"), [
    ["no-explicit-any", "8"],
    ["import-cycle", "3"],
    ["floating-promise", "1"],
  ]);
  assert.deepEqual(await rows("by-folder"), [
    ["src", "9"],
    [hostileFolder, "4"],
    ["test", "3"],
  ]);
  const skipped = (await page.locator('[data-message-id="health-log-bad-line"]').textContent()) ?? "";
  assert.ok(skipped.includes("1 line of .selfheal/health.jsonl could not be read") && skipped.includes("line 6"), skipped);

  // The ledger's outcomes (the six-entry fixture: one of five applies rolled back).
  const changes = await page.locator('[data-health="changes"] .tile').evaluateAll((tiles) => tiles.map((tile) => `${tile.querySelector(".tile-label")?.textContent}: ${tile.querySelector(".tile-value")?.textContent}`));
  assert.equal(changes.length, 4);
  assert.ok(changes[0].startsWith("changes applied: "), changes[0]);
  assert.ok(changes.some((line) => line.startsWith("change failure rate: ") && !line.endsWith("—")), changes.join("; "));
  assert.ok(changes.some((line) => line.startsWith("median time to rollback: ") && !line.endsWith("—")), changes.join("; "));

  const smuggled = await page.evaluate(() => [...document.getElementById("app")!.querySelectorAll("img, iframe, a, [onerror], [src]:not(script)")].map((element) => element.outerHTML.slice(0, 80)));
  assert.deepEqual(smuggled, [], "the hostile folder name is text, not an element");
  assert.equal(await page.locator("svg").count(), 1, "the sparkline is the one SVG");
  assert.equal(await pwned(page), undefined);
}

describe("provenance view: workspace health from .selfheal/health.jsonl", function () {
  this.timeout(60_000);
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    removeTempDirs();
  });

  it("in the view: debt index now and over time, findings by rule and by folder, change outcomes", async () => {
    const fixture = await intactLedger();
    const healthLog = writeHealthLog(fixture.root);
    const opened = await openView(browser, fixture.location.ledgerFile, { healthLog });
    try {
      await opened.page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 10_000 });
      await assertHealthSection(opened.page);
      await screenshot(opened.page, "health");
      assert.deepEqual(await opened.problems(), [], "no CSP violation, no console error");
      assert.deepEqual(invalidMessages(opened.fromPage), []);
    } finally {
      await opened.close();
    }
  });

  it("without a health log: says how samples are recorded, and draws nothing", async () => {
    const fixture = await intactLedger();
    const opened = await openView(browser, fixture.location.ledgerFile, { healthLog: path.join(fixture.root, ".selfheal/health.jsonl") });
    try {
      await opened.page.locator('[data-health="empty"]').waitFor({ timeout: 10_000 });
      assert.ok(((await opened.page.locator('[data-health="empty"]').textContent()) ?? "").includes("--record-health"));
      assert.equal(await opened.page.locator("svg").count(), 0);
      assert.deepEqual(await opened.problems(), []);
    } finally {
      await opened.close();
    }
  });

  it("in the static report, which embeds the health log", async () => {
    const fixture = await intactLedger();
    const healthLog = writeHealthLog(fixture.root);
    const view = new FileLedgerView(fixture.location.ledgerFile);
    await view.load();
    const output = path.join(makeTempDir(), "report.html");
    await writeReportHtml(output, { title: "fixture", ledgerFile: fixture.location.ledgerFile, integrity: view.state().integrity, health: readHealthLog(healthLog) });
    view.dispose();
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    try {
      const problems = await watchProblems(page);
      await page.goto(`file://${output}`);
      await assertHealthSection(page);
      await screenshot(page, "health-report");
      assert.deepEqual(await problems(), []);
    } finally {
      await page.close();
    }
  });
});
