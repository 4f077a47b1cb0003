/// <reference lib="dom" />
/**
 * The provenance page in real Chromium, driven by its real host side over fixture ledgers:
 * timeline, filters, detail, diffs, integrity banner, actions, keyboard, live update. After each
 * test: no console error, no CSP violation, and every message the page sent passed the host's
 * schema.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { appendEntry } from "../../server/src/engine/ledger/append";
import { waitFor } from "../unit/ledger/helpers";
import { removeTempDirs } from "../unit/helpers/workspace";
import { draftOf, intactLedger, ledgerText, syntaxLedger, tamperedLedger, tornLedger, type FixtureLedger } from "./fixtures";
import { invalidMessages, launchChromium, openView, screenshot, typesSent, type OpenedView } from "./harness";

const rowSelector = ".row:not(.placeholder)";

async function rowTexts(page: Page): Promise<string[]> {
  return page.$$eval(rowSelector, (rows) => rows.map((row) => row.textContent ?? ""));
}

async function waitForRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction((expected) => document.querySelectorAll(".row:not(.placeholder)").length === expected, count, { timeout: 10_000 });
}

async function waitForBanner(page: Page, state: string): Promise<string> {
  const banner = page.locator(`.banner[data-integrity="${state}"]`);
  await banner.waitFor({ timeout: 10_000 });
  return (await banner.textContent()) ?? "";
}

async function openEntry(page: Page, seq: number): Promise<void> {
  await page.locator(rowSelector, { has: page.locator(".seq", { hasText: new RegExp(`^#${seq}$`) }) }).click();
  await page.locator("#detail-title", { hasText: `#${seq}` }).waitFor({ timeout: 10_000 });
}

describe("provenance view in Chromium", function () {
  this.timeout(60_000);
  let browser: Browser;
  let opened: OpenedView | undefined;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    removeTempDirs();
  });
  afterEach(async function () {
    if (!opened) return;
    const current = opened;
    opened = undefined;
    try {
      if (this.currentTest?.state === "passed") {
        assert.deepEqual(await current.problems(), [], "console errors or CSP violations");
        assert.deepEqual(invalidMessages(current.fromPage), [], "the page sent a message the host's schema refuses");
        assert.deepEqual(current.hostLog, [], "the host logged a problem");
      }
    } finally {
      await current.close();
    }
  });

  async function open(fixture: FixtureLedger, options: Parameters<typeof openView>[2] = {}): Promise<OpenedView> {
    opened = await openView(browser, fixture.location.ledgerFile, options);
    return opened;
  }

  it("an intact ledger: banner, health, the timeline newest first", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture, { folder: "demo-service" });
    assert.match(await waitForBanner(page, "intact"), /Ledger intact: 6 entries\..*Head: seq 6/);
    await waitForRows(page, 6);
    const rows = await rowTexts(page);
    assert.deepEqual(
      rows.map((row) => /^#(\d+)/.exec(row)?.[1]),
      ["6", "5", "4", "3", "2", "1"],
    );
    assert.match(rows[5], /#1apply\s*no-explicit-any\s*auto\s*rolled back/);
    assert.match(rows[0], /#6rollback\s*no-explicit-any/);
    const health = (await page.locator(".health").textContent()) ?? "";
    assert.match(health, /4changes applied/);
    assert.match(health, /75 %verification pass rate3 passed, 1 failed, 0 not verified/);
    assert.match(health, /25 %change failure rate1 change rolled back/);
    assert.match(health, /4 d 2 hmedian time to rollback/);
    assert.equal(await page.locator("h1").textContent(), "Provenance: demo-service");
    await screenshot(page, "intact-timeline");
  });

  it("filters by kind, rule, actor, decision, status, file and date, and searches text", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 6);
    const seqs = async () => (await rowTexts(page)).map((row) => Number(/^#(\d+)/.exec(row)?.[1]));
    // Wait for these very rows, not only their number: right after a filter changes, the previous
    // filter's rows can still be on screen, and may be as many.
    const only = async (expected: number[]) => {
      const shown = (wanted: string) =>
        JSON.stringify([...document.querySelectorAll(".row:not(.placeholder)")].map((row) => Number(/^#(\d+)/.exec(row.textContent ?? "")?.[1]))) === wanted;
      await page.waitForFunction(shown, JSON.stringify(expected), { timeout: 10_000 }).catch(() => undefined);
      assert.deepEqual(await seqs(), expected);
    };
    const clear = () => page.getByRole("button", { name: "Clear filters" }).click();

    await page.fill("#filter-kind", "rollback");
    await only([6]);
    await clear();
    await page.fill("#filter-subject", "floating-promise");
    await only([2]);
    await clear();
    await page.fill("#filter-subject", "public-api");
    await only([3]);
    await clear();
    await page.fill("#filter-actor", "user");
    await only([6, 4, 3]);
    await clear();
    await page.selectOption("#filter-outcome", "deny");
    await only([5]);
    await page.selectOption("#filter-outcome", "none");
    await only([6, 3]);
    await clear();
    await page.selectOption("#filter-status", "undone");
    await only([1]);
    await clear();
    await page.fill("#filter-file", "ROUTES");
    await only([5, 2]);
    await clear();
    await page.fill("#filter-from", "2025-06-02");
    await page.fill("#filter-to", "2025-06-04");
    await only([4, 3, 2]);
    assert.match((await page.locator(".count").textContent()) ?? "", /^3 of 6 entries match/);
    await clear();
    await page.fill("#filter-text", "nobody awaited");
    await only([2]);
    await page.fill("#filter-text", "no such words anywhere");
    await only([]);
    await clear();
    await only([6, 5, 4, 3, 2, 1]);
    // Every filter went to the host as a `rows` request the schema accepted.
    assert.ok(typesSent(opened!.fromPage).filter((type) => type === "rows").length >= 15);
  });

  it("an entry's detail: rationale, plan, policy decision, evidence, hashes, both diffs", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 6);
    await openEntry(page, 2);
    const detail = page.locator(".detail");
    const text = (await detail.textContent()) ?? "";
    assert.match(text, /save\(\) returns a promise that nobody awaited/);
    assert.match(text, /2 file\(s\), \+2 −1 lines/);
    assert.match(text, /Impact setsrc\/http\/routes\.ts/);
    assert.match(text, /Outcome: review/);
    assert.match(text, /rules\.floating-promise\.autofix is review: a person confirms each change — \.selfheal\/policy\.yaml:9 \(rules\.floating-promise\.autofix\)/);
    assert.match(text, /passed Type errors in the changed files and their impact set: 0 before, 0 after\./);
    assert.match(text, /npm test04 s/);
    const [entry] = fixture.entries.filter((candidate) => candidate.predicate.chain.seq === 2);
    assert.match(text, new RegExp(`${entry.predicate.files[0].sha256Before!.slice(0, 12)}…`));

    // Forward diff: the added and removed lines, coloured by class, with both line numbers.
    const added = page.locator(".diff-line.added");
    const removed = page.locator(".diff-line.removed");
    assert.deepEqual(await removed.locator(".code").allTextContents(), ["  save(request);"]);
    assert.deepEqual(await added.locator(".code").allTextContents(), ["  await save(request);", "// reviewed"]);
    assert.deepEqual(await added.first().locator(".line-number").allTextContents(), ["", "2"]);
    assert.deepEqual(await removed.first().locator(".line-number").allTextContents(), ["2", ""]);
    assert.deepEqual(await page.locator(".diff-file-header").allTextContents(), ["src/http/handler.ts", "src/http/routes.ts"]);
    const insertedColour = await added.first().evaluate((row) => getComputedStyle(row).backgroundColor);
    const contextColour = await page.locator(".diff-line.context").first().evaluate((row) => getComputedStyle(row).backgroundColor);
    assert.notEqual(insertedColour, contextColour, "added lines are coloured");
    await screenshot(page, "detail-forward");

    // The rollback diff is the exact undo.
    await page.getByRole("button", { name: "Rollback (its undo)" }).click();
    await page.locator('.tab[aria-pressed="true"]', { hasText: "Rollback" }).waitFor();
    assert.deepEqual(await page.locator(".diff-line.removed .code").allTextContents(), ["  await save(request);", "// reviewed"]);
    assert.deepEqual(await page.locator(".diff-line.added .code").allTextContents(), ["  save(request);"]);
    await screenshot(page, "detail-rollback");
  });

  it("diffs in syntax colours, from the theme's variables: unified, and side by side from the keyboard", async () => {
    const fixture = await syntaxLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 1);
    await openEntry(page, 1);
    const tokens = (language: string, kind: string, within = ".diff-line .code") => page.locator(`table[data-language="${language}"] ${within} .tok-${kind}`).allTextContents();
    assert.deepEqual(await page.locator(".diff-hunk").evaluateAll((tables) => tables.map((table) => table.getAttribute("data-language"))), ["typescript", "yaml", "json", "markdown"]);

    // TypeScript, with what one line leaves open carried to the next: the template string whose second line the change
    // edits (" entries`" is the end of that string, not the start of another). The hunk starts at the doc comment's end.
    for (const keyword of ["export", "function", "const", "return"]) assert.ok((await tokens("typescript", "keyword")).includes(keyword), keyword);
    assert.deepEqual(await tokens("typescript", "comment"), [" */", "// loud"]);
    assert.deepEqual(await tokens("typescript", "type"), ["string", "number", "string"]);
    assert.deepEqual(await tokens("typescript", "function"), ["reportLine", "trim", "trim"]);
    assert.deepEqual(await tokens("typescript", "string", ".diff-line.added .code"), ["  ", " entries`", '"!"']);
    assert.deepEqual(await tokens("typescript", "string", ".diff-line.removed .code"), ["  ", " items`"]);
    assert.deepEqual(await tokens("yaml", "property"), ["version", "rules", "prefer-const", "autofix", "autofix"]);
    assert.deepEqual(await tokens("yaml", "comment"), ["# trusted since June"]);
    assert.deepEqual(await tokens("json", "property"), ['"name"', '"version"', '"version"', '"private"']);
    assert.deepEqual(await tokens("json", "literal"), ["true"]);
    assert.deepEqual(await tokens("markdown", "heading"), ["# Demo", "# Demo service"]);
    assert.deepEqual(await tokens("markdown", "string"), ["`npm test`"]);
    // Colour spans hold text only, and the lines read exactly as recorded.
    assert.deepEqual(
      await page.locator(".diff-line .code span").evaluateAll((spans) => spans.filter((span) => span.attributes.length !== 1 || !/^tok-[a-z]+$/.test(span.className) || span.children.length > 0).length),
      0,
    );
    assert.deepEqual(await page.locator("table[data-language=typescript] .diff-line.added .code").allTextContents(), ["  ${count} entries`;", '  return label.trim() + "!"; // loud']);

    // The colours are the theme's: each kind has its own, and a theme variable changes it.
    const colourOf = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).color);
    const colours = await Promise.all(["keyword", "string", "comment", "type", "function", "property"].map((kind) => colourOf(`.tok-${kind}`)));
    assert.equal(new Set(colours).size, colours.length, `one colour per kind: ${colours.join(", ")}`);
    await page.evaluate(() => document.documentElement.style.setProperty("--vscode-debugTokenExpression-string", "rgb(1, 2, 3)"));
    assert.equal(await colourOf(".tok-string"), "rgb(1, 2, 3)");
    await page.evaluate(() => document.documentElement.style.removeProperty("--vscode-debugTokenExpression-string"));
    await page.locator(".diff-toolbar").scrollIntoViewIfNeeded();
    await screenshot(page, "diff-syntax-unified");

    // Side by side, chosen from the keyboard: removed lines face the lines that replaced them, each side coloured on its own.
    await page.getByRole("button", { name: "Side by side" }).focus();
    await page.keyboard.press("Enter");
    await page.locator(".diff-hunk.split").first().waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Side by side", "focus stays on the layout button");
    assert.equal(await page.locator(".diff-hunk.unified").count(), 0);
    const changed = page.locator("table[data-language=typescript] .split-row.change");
    assert.deepEqual(await changed.evaluateAll((rows) => rows.map((row) => [row.querySelector(".code.old")?.textContent, row.querySelector(".code.new")?.textContent])), [
      ["  ${count} items`;", "  ${count} entries`;"],
      ["  return label.trim();", '  return label.trim() + "!"; // loud'],
    ]);
    assert.deepEqual(await changed.first().locator(".line-number").allTextContents(), ["6", "6"]);
    assert.ok((await tokens("typescript", "string", ".code.old.removed")).includes(" items`"));
    assert.ok((await tokens("typescript", "string", ".code.new.added")).includes(" entries`"));
    assert.deepEqual(await tokens("typescript", "comment", ".code.old"), [" */"]);
    await page.locator(".diff-toolbar").scrollIntoViewIfNeeded();
    await screenshot(page, "diff-syntax-split");
    // Without a theme (the static report) the fallbacks follow the system's light or dark scheme.
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "diff-syntax-split-dark");
  });

  it("actions: open the policy line, open the file at the change, copy as JSON, roll back", async () => {
    const fixture = await intactLedger();
    const view = await open(fixture);
    const { page } = view;
    await waitForRows(page, 6);
    await openEntry(page, 2);
    await page.getByRole("button", { name: ".selfheal/policy.yaml:9 (rules.floating-promise.autofix)" }).click();
    await page.locator(".files").getByRole("button", { name: "Open at change" }).first().click();
    await page.getByRole("button", { name: "Copy as JSON" }).click();
    await page.getByRole("button", { name: "Roll back…" }).click();
    await page.locator('.notice[data-message-id="provenance-copied"]').waitFor({ timeout: 10_000 });
    await waitFor(() => view.actions.length >= 4, "the four actions to reach the host", 10_000);
    const entry = fixture.entries[1];
    assert.deepEqual(view.actions, [
      { action: "openPolicy", origin: { file: ".selfheal/policy.yaml", line: 9, key: "rules.floating-promise.autofix" } },
      { action: "openFile", path: "src/http/handler.ts", line: 2 },
      { action: "copy", json: JSON.stringify(entry, null, 2) },
      { action: "rollback", id: entry.predicate.id },
    ]);
  });

  it("an entry that was rolled back offers no rollback, says why, and links to the rollback", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 6);
    await openEntry(page, 1);
    const rollback = page.getByRole("button", { name: "Roll back…" });
    assert.equal(await rollback.isDisabled(), true);
    assert.match((await page.locator("#rollback-why").textContent()) ?? "", /Already rolled back by #6/);
    // The link to the rollback that undid it opens that entry.
    await page.locator(".definitions").getByRole("button", { name: /^#6 rollback/ }).click();
    await page.locator("#detail-title", { hasText: "#6" }).waitFor();
    assert.match((await page.locator(".detail").textContent()) ?? "", /Undoes#1 apply/);
  });

  it("keyboard: arrows move through the list, Enter opens the entry, Escape returns to the list", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 6);
    await page.locator(".timeline").focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    assert.equal(await page.locator(".timeline").getAttribute("aria-activedescendant"), "row-1");
    await page.keyboard.press("Enter");
    await page.locator("#detail-title", { hasText: "#5" }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "detail-title");
    await page.keyboard.press("Escape");
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("timeline")), true);
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.locator("#detail-title", { hasText: "#1" }).waitFor();
    // Tab order: the search box comes before the list, the list before the detail's actions.
    const order = await page.evaluate(() => {
      const focusable = [...document.querySelectorAll<HTMLElement>("input, select, button, [tabindex='0']")].filter((element) => !element.hasAttribute("disabled"));
      return focusable.map((element) => element.id || element.textContent);
    });
    assert.ok(order.indexOf("filter-text") >= 0 && order.indexOf("filter-text") < order.indexOf("timeline"), order.join(" | "));
    assert.ok(order.indexOf("timeline") < order.indexOf("Copy as JSON"), order.join(" | "));
    await screenshot(page, "keyboard");
  });

  it("a tampered ledger: the banner names the entry and the problem; entries from there on are marked and cannot be rolled back", async () => {
    const fixture = await tamperedLedger();
    const { page } = await open(fixture);
    const banner = await waitForBanner(page, "broken");
    assert.match(banner, new RegExp(`Ledger NOT intact: broken at line 3, seq 3, entry ${fixture.entries[2].predicate.id} — altered\\.`));
    assert.match(banner, /ledger-altered: its content does not match its hash/);
    assert.match(banner, /2 entries before it are intact/);
    await waitForRows(page, 6);
    const rows = await rowTexts(page);
    assert.match(rows[3], /#3.*chain breaks here/);
    assert.match(rows[2], /#4.*unverified/);
    assert.doesNotMatch(rows[4], /unverified|chain breaks/);
    await page.getByRole("button", { name: "Show that entry" }).click();
    await page.locator("#detail-title", { hasText: "#3" }).waitFor();
    assert.match((await page.locator(".trust").textContent()) ?? "", /The hash chain breaks at this entry/);
    assert.equal(await page.inputValue("#filter-text"), fixture.entries[2].predicate.id);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await openEntry(page, 5);
    assert.equal(await page.getByRole("button", { name: "Roll back…" }).isDisabled(), true);
    assert.match((await page.locator("#rollback-why").textContent()) ?? "", /not verified intact/);
    await screenshot(page, "tampered");
  });

  it("a torn ledger: the banner says the last line is torn, the whole entries are listed", async () => {
    const fixture = await tornLedger();
    const { page } = await open(fixture);
    const banner = await waitForBanner(page, "broken");
    assert.match(banner, /broken at line 7 — torn \(an interrupted write\)/);
    assert.match(banner, /6 entries before it are intact/);
    await waitForRows(page, 6);
    await screenshot(page, "torn");
  });

  it("no ledger yet: says so", async () => {
    const fixture = await intactLedger();
    fs.rmSync(fixture.location.ledgerFile);
    const { page } = await open(fixture, { folder: "empty-folder" });
    assert.match(await waitForBanner(page, "no-ledger"), /No ledger in empty-folder yet/);
    assert.match((await page.locator(".count").textContent()) ?? "", /^0 entries$/);
  });

  it("live: a change to the ledger shows up, and the page keeps its filter and selection", async () => {
    const fixture = await intactLedger();
    const view = await open(fixture);
    const { page } = view;
    await waitForRows(page, 6);
    await page.fill("#filter-kind", "apply");
    await waitForRows(page, 4);
    await openEntry(page, 2);
    // Another writer (the CLI, another window) appends; the extension's file watcher calls load().
    const edits = [{ path: "src/new.ts", before: null, after: "export const created = true;\n" }];
    await appendEntry(fixture.location.ledgerFile, draftOf(edits, "2025-06-07T09:00:00.000Z", { rationale: "a fresh change from another window" }));
    await view.view.load();
    await waitForRows(page, 5);
    assert.match((await rowTexts(page))[0], /^#7apply/);
    assert.equal(await page.inputValue("#filter-kind"), "apply");
    assert.match((await page.locator("#detail-title").textContent()) ?? "", /^#2 /);
    assert.match(await waitForBanner(page, "intact"), /7 entries/);
    assert.equal(ledgerText(fixture).length, 7);
  });

  it("hidden and shown again (the page reloads): filters, selection and diff tab come back from the state VS Code keeps", async () => {
    const fixture = await intactLedger();
    const { page } = await open(fixture);
    await waitForRows(page, 6);
    await page.fill("#filter-actor", "user");
    await waitForRows(page, 3);
    await openEntry(page, 4);
    await page.getByRole("button", { name: "Rollback (its undo)" }).click();
    await page.locator('.tab[aria-pressed="true"]', { hasText: "Rollback" }).waitFor();
    await page.getByRole("button", { name: "Side by side" }).click();
    await page.locator(".diff-hunk.split").first().waitFor();
    await page.reload();
    await waitForRows(page, 3);
    assert.equal(await page.inputValue("#filter-actor"), "user");
    await page.locator("#detail-title", { hasText: "#4" }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.tab:not(.layout)[aria-pressed="true"]').textContent(), "Rollback (its undo)");
    assert.equal(await page.locator('.tab.layout[aria-pressed="true"]').textContent(), "Side by side");
    assert.ok((await page.locator(".diff-hunk.split").count()) > 0);
    assert.equal(await page.locator(".row.selected .seq").textContent(), "#4");
  });

  it("messages the host does not accept are ignored and logged, and change nothing", async () => {
    const fixture = await intactLedger();
    const view = await open(fixture);
    const { page } = view;
    await waitForRows(page, 6);
    const sent = [
      { type: "runCommand", command: "rm -rf /" },
      { type: "openFile", key: 0, id: fixture.entries[0].predicate.id, path: "../../etc/passwd", extra: true },
      { type: "rows", requestId: 1, filter: { text: 42 }, offset: 0, count: 10 },
      { type: "rows", requestId: 1, filter: {}, offset: 0, count: 1_000_000 },
      "not an object",
    ];
    for (const message of sent) await page.evaluate((data) => (window as unknown as { __pageToHost(message: unknown): Promise<void> }).__pageToHost(data), message);
    assert.equal(view.hostLog.length, sent.length);
    for (const line of view.hostLog) assert.match(line, /^provenance-invalid-message: /);
    assert.deepEqual(view.actions, []);
    // A well-formed request for a file the entry did not change is refused by the host, not just by the page.
    await page.evaluate((id) => (window as unknown as { __pageToHost(message: unknown): Promise<void> }).__pageToHost({ type: "openFile", key: 0, id, path: "../../etc/passwd" }), fixture.entries[0].predicate.id);
    await page.locator('.notice[data-message-id="provenance-path-refused"]').waitFor({ timeout: 10_000 });
    assert.deepEqual(view.actions, []);
    view.hostLog.length = 0;
    view.fromPage.length = 0;
  });
});
