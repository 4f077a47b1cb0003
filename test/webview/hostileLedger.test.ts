/// <reference lib="dom" />
/**
 * A ledger is untrusted input. Every string of this fixture would run script if it reached the
 * DOM as markup (each sets window.__pwned); in the view they must show as text, create no
 * element, and trip no Content-Security-Policy rule.
 */
import * as assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { waitFor } from "../unit/ledger/helpers";
import { removeTempDirs } from "../unit/helpers/workspace";
import { hostile, hostileLedger } from "./fixtures";
import { invalidMessages, launchChromium, openView, pwned, screenshot } from "./harness";

describe("provenance view: hostile strings in the ledger render as text", function () {
  this.timeout(60_000);
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    removeTempDirs();
  });

  it("a file named <img …>, a rationale with <script>, a diff full of HTML: shown as written, nothing runs", async () => {
    const fixture = await hostileLedger();
    const opened = await openView(browser, fixture.location.ledgerFile, { folder: "<b>folder</b>" });
    try {
      const { page } = opened;
      await page.locator('.banner[data-integrity="intact"]').waitFor({ timeout: 10_000 });
      await page.locator(".row:not(.placeholder)").first().click();
      await page.locator("#detail-title").waitFor({ timeout: 10_000 });
      await page.getByRole("button", { name: "Rollback (its undo)" }).click();
      await page.getByRole("button", { name: "Forward (the change)" }).click();
      await page.locator(".raw-json summary").click();

      const text = (await page.locator("#app").textContent()) ?? "";
      for (const value of [hostile.file, hostile.rationale, hostile.rule, hostile.actor, hostile.reason, hostile.command, "<key onfocus=window.__pwned=1>", "Provenance: <b>folder</b>"]) {
        assert.ok(text.includes(value), `the page shows ${value} as text`);
      }
      const diffLines = await page.locator(".diff-line .code").allTextContents();
      for (const line of hostile.after.split("\n").filter(Boolean)) assert.ok(diffLines.includes(line), `the diff shows ${line}`);
      // The file is .ts, so its lines are coloured: the markup in them became token spans holding text, nothing else.
      const spans = await page.locator(".diff-line .code span").evaluateAll((elements) => elements.map((span) => ({ name: span.className, attributes: span.attributes.length, children: span.children.length })));
      assert.ok(spans.some((span) => span.name === "tok-string"), "the diff is coloured (its quoted attribute values are strings)");
      assert.deepEqual(
        spans.filter((span) => !/^tok-[a-z]+$/.test(span.name) || span.attributes !== 1 || span.children !== 0),
        [],
        "token spans carry a class and text only",
      );

      // Nothing in the ledger became an element: the only scripts are the harness stub and the page, and the page holds no image, frame, svg, link or bold text.
      const elements = await page.evaluate(() => ({
        scripts: document.scripts.length,
        smuggled: [...document.getElementById("app")!.querySelectorAll("img, iframe, svg, a, b, textarea, [onerror], [onload], [onclick], [onfocus], [onmouseover], [href], [src]:not(script)")].map((element) => element.outerHTML.slice(0, 80)),
      }));
      assert.deepEqual(elements, { scripts: 2, smuggled: [] }, "the harness stub, the page script and nothing else");
      assert.equal(await pwned(page), undefined, "no script from the ledger ran");
      // Opening the policy "file" goes to the host, which gets the origin from the entry, not from the page.
      await page.locator(".reasons").getByRole("button").click();
      await page.locator(".files").getByRole("button", { name: "Open at change" }).click();
      await waitFor(() => opened.actions.length >= 2, "both actions to reach the host", 10_000);
      assert.deepEqual(opened.actions, [
        { action: "openPolicy", origin: { file: hostile.policyFile, line: 3, key: "<key onfocus=window.__pwned=1>" } },
        { action: "openFile", path: hostile.file, line: 1 },
      ]);
      await screenshot(page, "hostile");
      assert.deepEqual(await opened.problems(), [], "no CSP violation, no console error");
      assert.deepEqual(invalidMessages(opened.fromPage), []);
    } finally {
      await opened.close();
    }
  });
});
