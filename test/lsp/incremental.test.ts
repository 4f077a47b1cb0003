import * as assert from "node:assert/strict";
import { createWorkspace, LspClient, removeWorkspace, tsconfig, uriOf } from "./lspClient";

describe("LSP incremental analysis", () => {
  let folder: string | undefined;
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  it("an edit in one file updates a type-aware finding in an unopened importer", async () => {
    const syncSource = "export function f(): void {}\n";
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/a.ts": syncSource, "src/b.ts": 'import { f } from "./a";\n\nf();\n' });
    client = await LspClient.start({ folder });
    await client.whenAnalyzed();
    const a = uriOf(folder, "src/a.ts");
    const b = uriOf(folder, "src/b.ts");
    assert.deepEqual(client.codes(b), [], "a call to a void function is not a floating promise");

    await client.open(a, syncSource);
    await client.replaceText(a, "export async function f() {}\n");
    // b.ts is never opened or touched: only the dependency re-check can produce this.
    const [floating] = await client.waitForDiagnostics(b, (diagnostics) => diagnostics.length > 0, "a floating-promise in b.ts");
    assert.equal(floating.code, "floating-promise");
    assert.deepEqual(floating.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });

    await client.replaceText(a, syncSource);
    await client.waitForDiagnostics(b, (diagnostics) => diagnostics.length === 0, "b.ts cleared");
  });

  it("shows a syntactic finding while typing and the type-aware one only after the debounce", async () => {
    const debounceMs = 600;
    const original = 'import { save } from "./store";\n';
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/store.ts": "export async function save() {}\n", "src/main.ts": original });
    client = await LspClient.start({ folder, settings: { debounceMs } });
    await client.whenAnalyzed();
    const main = uriOf(folder, "src/main.ts");
    await client.open(main, original);

    const typedAt = Date.now();
    await client.change(main, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "let x: any;\nsave();\n" }]);
    const first = await client.waitForDiagnostics(main, (diagnostics) => diagnostics.length > 0, "the keystroke pass");
    assert.deepEqual(
      first.map((d) => [d.code, d.range.start.line]),
      [["no-explicit-any", 1]],
      "the keystroke pass must not wait for (or contain) type-aware findings",
    );

    const both = await client.waitForDiagnostics(main, (diagnostics) => diagnostics.some((d) => d.code === "floating-promise"), "the type-aware pass");
    assert.ok(Date.now() - typedAt >= debounceMs, `type-aware finding after ${Date.now() - typedAt} ms, before the ${debounceMs} ms debounce`);
    assert.deepEqual(
      both.map((d) => [d.code, d.range.start.line]),
      [
        ["no-explicit-any", 1],
        ["floating-promise", 2],
      ],
    );
  });

  it("moves a shown type-aware finding with the text while it is being recomputed", async () => {
    const text = 'import { save } from "./store";\nsave();\n';
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/store.ts": "export async function save() {}\n", "src/main.ts": text });
    client = await LspClient.start({ folder, settings: { debounceMs: 2000 } });
    await client.whenAnalyzed();
    const main = uriOf(folder, "src/main.ts");
    const opened = client.mark();
    await client.open(main, text);
    await client.waitForPublish(main, opened, (diagnostics) => diagnostics.length === 1, "the finding after open");

    const typed = client.mark();
    const typedAt = Date.now();
    await client.change(main, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "\n\n" }]);
    const shifted = await client.waitForPublish(main, typed);
    assert.ok(Date.now() - typedAt < 2000, "the keystroke pass must not wait for the debounce");
    // The old finding, carried along with the text: no flicker, and no stale position.
    assert.deepEqual(
      shifted.map((d) => [d.code, d.range]),
      [["floating-promise", { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } }]],
    );
  });
});
