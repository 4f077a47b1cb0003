/// <reference lib="dom" />
/**
 * 100,000 entries (about 280 MB, generated here with the ledger's own sealing code): the newest
 * rows come first (three openings, each timed and printed), the list must stay virtual (a few
 * dozen rows in the DOM), and scrolling, filtering and opening an entry must work at that size.
 *
 * The 1 s target for opening the view is checked by `npm run bench` (part `view`, bench/view.mjs,
 * figures in docs/benchmarks.md), not here: a timed test flakes on a shared machine. This one only
 * bounds the median loosely, so that a regression by an order of magnitude still fails it.
 */
import * as assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { removeTempDirs } from "../unit/helpers/workspace";
import { bigLedger, type FixtureLedger } from "./fixtures";
import { firstRowsTimings, launchChromium, openView, screenshot, type OpenedView, type PageTimings } from "./harness";

const entryCount = 100_000;
/** A smoke bound, five times issue 7's target ("opening the view ≤ 1 s"), which `npm run bench -- --only-parts view` checks. */
const firstRowsSmokeBound = 5000;
const ms = (value: number) => `${Math.round(value)} ms`;

describe("provenance view: a 100,000-entry ledger", function () {
  this.timeout(240_000);
  let browser: Browser;
  let fixture: FixtureLedger;
  let opened: OpenedView | undefined;

  before(async function () {
    this.timeout(240_000);
    const started = performance.now();
    fixture = bigLedger(entryCount);
    console.log(`      generated ${entryCount.toLocaleString("en-US")} entries in ${Math.round(performance.now() - started)} ms`);
    browser = await launchChromium();
  });
  after(async () => {
    await opened?.close();
    await browser?.close();
    removeTempDirs();
  });

  it(`shows the newest rows first, within ${firstRowsSmokeBound} ms of the page's navigation (the median of three openings)`, async () => {
    // Measured by the page itself from the start of its navigation (creating the tab is not the view's time), up to
    // the frame after the first rows entered the DOM. The median: one opening on a shared 2-core machine can stall.
    const openings: PageTimings[] = [];
    for (let opening = 1; opening <= 3; opening++) {
      const view = await openView(browser, fixture.location.ledgerFile, { folder: "big" });
      try {
        const timings = await firstRowsTimings(view.page);
        openings.push(timings);
        console.log(
          `      opening ${opening}: first rows visible ${ms(timings.firstRows)} after navigation started ` +
            `(HTML in at ${ms(timings.responseEnd)}, the page's script had run at ${ms(timings.domContentLoaded)}, rows in the DOM at ${ms(timings.rowsInDom)})`,
        );
        assert.match((await view.page.locator(".row:not(.placeholder) .seq").first().textContent()) ?? "", /^#100000$/);
        // The next opening starts as this one did: with the host idle, not still reading this one's ledger.
        await view.page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 120_000 });
      } finally {
        await view.close();
      }
    }
    const sorted = openings.map((timings) => timings.firstRows).sort((a, b) => a - b);
    console.log(`      first rows visible: median ${ms(sorted[1])} of ${sorted.map(ms).join(", ")} (smoke bound ${firstRowsSmokeBound} ms; the 1 s target is checked by npm run bench, part view)`);
    assert.ok(
      sorted[1] <= firstRowsSmokeBound,
      `the first rows took ${ms(sorted[1])} (median of ${sorted.map(ms).join(", ")}), over the smoke bound of ${firstRowsSmokeBound} ms (about ten times the usual figure); measure with \`npm run bench -- --only-parts view\``,
    );
  });

  it("then lists all, verifies the chain, stays virtual, scrolls, filters and opens entries", async () => {
    const started = performance.now();
    opened = await openView(browser, fixture.location.ledgerFile, { folder: "big" });
    const { page } = opened;
    await page.locator(".row:not(.placeholder)").first().waitFor({ timeout: 30_000 });
    assert.match((await page.locator(".row:not(.placeholder) .seq").first().textContent()) ?? "", /^#100000$/);

    await page.waitForFunction(() => /^100,000 entries$/.test(document.querySelector(".count")?.textContent ?? ""), undefined, { timeout: 60_000 });
    console.log(`      every entry listed after ${Math.round(performance.now() - started)} ms`);
    await page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 120_000 });
    console.log(`      chain verified after ${Math.round(performance.now() - started)} ms`);
    assert.match((await page.locator(".health").textContent()) ?? "", /98,001changes applied/);

    // Virtual: only the rows in view (and a few around them) exist.
    const rowsInDom = await page.locator(".row").count();
    assert.ok(rowsInDom > 5 && rowsInDom < 80, `${rowsInDom} rows in the DOM`);

    // Scroll to the very end: the oldest entry comes into view.
    await page.locator(".timeline").focus();
    await page.keyboard.press("End");
    await page.locator(".row:not(.placeholder) .seq", { hasText: /^#1$/ }).waitFor({ timeout: 10_000 });
    assert.ok((await page.locator(".row").count()) < 80);
    await page.keyboard.press("Enter");
    await page.locator("#detail-title", { hasText: "#1 " }).waitFor({ timeout: 10_000 });

    // Filter and search across all of them.
    const filterStarted = performance.now();
    await page.fill("#filter-text", "(change 77777)");
    await page.waitForFunction(() => document.querySelector(".count")?.textContent?.startsWith("1 of 100,000"), undefined, { timeout: 20_000 });
    console.log(`      a text search over 100,000 entries answered in ${Math.round(performance.now() - filterStarted)} ms (with the 200 ms typing pause)`);
    await page.locator(".row:not(.placeholder)").first().click();
    await page.locator("#detail-title", { hasText: "#77777 " }).waitFor({ timeout: 10_000 });
    assert.ok((await page.locator(".diff-line.added").count()) >= 1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.selectOption("#filter-status", "undone");
    await page.waitForFunction(() => document.querySelector(".count")?.textContent?.startsWith("1,999 of 100,000"), undefined, { timeout: 20_000 });
    await screenshot(page, "large-ledger");
    assert.deepEqual(await opened.problems(), []);
  });
});
