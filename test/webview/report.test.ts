/// <reference lib="dom" />
/**
 * The static report (`selfheal report --html`) opened from disk in Chromium: the same page,
 * read-only, its data embedded and escaped, its CSP by hash allowing exactly its own two inline
 * blocks. Hostile strings show as text and nothing from the ledger runs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { reportCommand } from "../../server/src/cli/reportCommand";
import { makeTempDir, removeTempDirs } from "../unit/helpers/workspace";
import { hostile, hostileLedger, intactLedger, tamperedLedger, type FixtureLedger } from "./fixtures";
import { launchChromium, pwned, screenshot, watchProblems } from "./harness";

async function writeReport(fixture: FixtureLedger): Promise<{ file: string; status: number }> {
  const file = path.join(makeTempDir(), "provenance.html");
  const status = await reportCommand([fixture.root, "--html", file], { stdout: () => undefined, stderr: () => undefined, isTty: false, version: "test" });
  return { file, status };
}

describe("provenance report (static HTML) in Chromium", function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page | undefined;

  before(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
  });
  after(async () => {
    await browser?.close();
    removeTempDirs();
  });

  async function load(file: string): Promise<{ page: Page; problems: () => Promise<string[]> }> {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = await watchProblems(page);
    await page.goto(pathToFileURL(file).href);
    return { page, problems };
  }

  it("an intact ledger: the same view, read-only, with no network and no CSP violation", async () => {
    const fixture = await intactLedger();
    const { file, status } = await writeReport(fixture);
    assert.equal(status, 0);
    const { page, problems } = await load(file);
    await page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll(".row:not(.placeholder)").length === 6, undefined, { timeout: 10_000 });
    assert.match((await page.locator("h1").textContent()) ?? "", new RegExp(`^Provenance: ${path.basename(fixture.root)}static report$`));
    assert.match((await page.locator(".health").textContent()) ?? "", /4changes applied/);
    await page.fill("#filter-kind", "rollback");
    await page.waitForFunction(() => document.querySelectorAll(".row:not(.placeholder)").length === 1, undefined, { timeout: 10_000 });
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.locator(".row:not(.placeholder)", { hasText: "#2" }).click();
    await page.locator("#detail-title", { hasText: "#2" }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await page.locator(".diff-line.added .code").allTextContents(), ["  await save(request);", "// reviewed"]);
    // Syntax colours from the page's own fallbacks (a report has no VS Code theme): light here, as Chromium's default scheme.
    assert.deepEqual(await page.locator(".diff-line.added .code .tok-keyword").allTextContents(), ["await"]);
    assert.deepEqual(await page.locator(".diff-line.added .code .tok-comment").allTextContents(), ["// reviewed"]);
    assert.equal(await page.locator(".tok-keyword").first().evaluate((element) => getComputedStyle(element).color), "rgb(207, 34, 46)");
    // Read-only: no rollback, no opening files; the policy line is plain text.
    assert.equal(await page.getByRole("button", { name: "Roll back…" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Open at change" }).count(), 0);
    assert.match((await page.locator(".reasons").textContent()) ?? "", /— \.selfheal\/policy\.yaml:9 \(rules\.floating-promise\.autofix\)/);
    assert.equal(await page.locator(".reasons button").count(), 0);
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.locator(".row:not(.placeholder)", { hasText: "#1" }).click();
    await page.locator("#detail-title", { hasText: "#1" }).waitFor({ timeout: 10_000 });
    assert.deepEqual(requests, [], "the report loads nothing");
    await screenshot(page, "report-intact");
    assert.deepEqual(await problems(), []);
  });

  it("hostile strings: shown as text, the data block cannot be closed early, nothing runs", async () => {
    const fixture = await hostileLedger();
    const { file } = await writeReport(fixture);
    const html = fs.readFileSync(file, "utf8");
    // One </script> ends the data block and one ends the page script; the ledger's own are escaped.
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    assert.ok(!html.includes("\u2028"), "U+2028 is escaped in the embedded JSON");
    const { page, problems } = await load(file);
    await page.locator(".row:not(.placeholder)").first().click();
    await page.locator("#detail-title").waitFor({ timeout: 10_000 });
    const text = (await page.locator("#app").textContent()) ?? "";
    for (const value of [hostile.file, hostile.rationale, hostile.rule, hostile.actor, hostile.reason, hostile.command]) assert.ok(text.includes(value), `shows ${value}`);
    const diffLines = await page.locator(".diff-line .code").allTextContents();
    for (const line of hostile.after.split("\n").filter(Boolean)) assert.ok(diffLines.includes(line), `the diff shows ${line}`);
    assert.equal(await page.evaluate(() => document.getElementById("app")!.querySelectorAll("img, iframe, svg, a, b, script, [onerror], [onclick]").length), 0);
    assert.equal(await pwned(page), undefined);
    // The embedded data round-trips: the page reads back exactly the ledger's lines.
    const lines = await page.evaluate(() => (JSON.parse(document.getElementById("ledger-data")!.textContent!) as { lines: string[] }).lines);
    assert.deepEqual(lines, fs.readFileSync(fixture.location.ledgerFile, "utf8").split("\n").slice(0, -1));
    await screenshot(page, "report-hostile");
    assert.deepEqual(await problems(), []);
  });

  it("a tampered ledger: exit 1, and the report shows where the chain breaks", async () => {
    const fixture = await tamperedLedger();
    const { file, status } = await writeReport(fixture);
    assert.equal(status, 1);
    const { page, problems } = await load(file);
    const banner = (await page.locator('.banner[data-integrity="broken"]').textContent({ timeout: 10_000 })) ?? "";
    assert.match(banner, /Ledger NOT intact: broken at line 3, seq 3, .* — altered\./);
    await page.waitForFunction(() => document.querySelectorAll(".row.untrusted").length === 4, undefined, { timeout: 10_000 });
    assert.deepEqual(await problems(), []);
  });

  it("the CSP is enforced: a script the page did not ship is blocked", async () => {
    const fixture = await intactLedger();
    const { file } = await writeReport(fixture);
    // What an injection would look like if escaping ever failed: an inline script in the body.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('<main id="app"></main>', '<main id="app"></main><script>window.__pwned = "injected"</script>'));
    const { page, problems } = await load(file);
    await page.locator(".row:not(.placeholder)").first().waitFor({ timeout: 10_000 });
    assert.equal(await pwned(page), undefined);
    assert.ok((await problems()).some((problem) => /CSP violation: script-src/.test(problem)), "the browser reports the blocked script");
  });
});
