/**
 * "Why is this line like this?" over LSP, against the built server: a hover on a line a recorded
 * change wrote names the change and links to it in the provenance view; a CodeLens does the same;
 * both follow the ledger when another process (the CLI) appends to it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CodeLensRequest, HoverRequest, type CodeLens, type Hover, type MarkupContent } from "vscode-languageserver-protocol/node";
import { applyRecordedChange } from "../../server/src/engine/ledger/recordedChange";
import { ledgerLocation } from "../../server/src/engine/ledger/workspacePaths";
import { draftFor } from "../unit/ledger/helpers";
import { createWorkspace, LspClient, removeWorkspace, tsconfig, uriOf } from "./lspClient";

const original = "export function total(items: number[]): number {\n  let sum = 0;\n  for (const item of items) sum += item;\n  return sum;\n}\n";

describe("LSP: provenance of changed lines (hover and CodeLens)", () => {
  let folder: string | undefined;
  let client: LspClient | undefined;

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
    folder = undefined;
  });

  /** Applies and records a change as the pipeline or the CLI does: the file is written, the entry appended. */
  async function recordChange(root: string, edit: (text: string) => string, rule: string, rationale: string): Promise<string> {
    const file = path.join(root, "src/app.ts");
    const before = fs.readFileSync(file, "utf8");
    const entry = await applyRecordedChange(ledgerLocation(root), draftFor([{ path: "src/app.ts", before, after: edit(before) }], { rule, rationale, time: "2025-06-03T09:41:07.512Z" }), [
      { path: "src/app.ts", before, after: edit(before) },
    ]);
    return entry.predicate.id;
  }

  async function hoverAt(uri: string, line: number): Promise<string | undefined> {
    const hover = (await client!.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 4 } })) as Hover | null;
    return hover ? (hover.contents as MarkupContent).value : undefined;
  }

  it("a hover on a changed line names the change, escapes the ledger's text and links to the entry; untouched lines have none", async () => {
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/app.ts": original });
    const entryId = await recordChange(folder, (text) => text.replace("  let sum = 0;", "  const sum = 0;"), "prefer-const", "sum is <b>never</b> [reassigned](http://evil.example)");
    client = await LspClient.start({ folder });
    await client.whenAnalyzed(30_000);
    const uri = uriOf(folder, "src/app.ts");
    await client.openFromDisk(uri);

    const markdown = await hoverAt(uri, 1);
    assert.ok(markdown, "the changed line has a hover");
    assert.ok(markdown.startsWith("Changed by Self-Healing Code: prefer\\-const fix, 2025\\-06\\-03 09\\:41 UTC, "), markdown);
    assert.ok(markdown.includes("sum is \\<b\\>never\\</b\\> \\[reassigned\\]\\(http\\:"), `the rationale is escaped: ${markdown}`);
    const link = /\[Open in provenance view\]\((command:selfheal\.showProvenance\?[^)]+)\)/.exec(markdown);
    assert.ok(link, `the hover links to the view: ${markdown}`);
    const args = JSON.parse(decodeURIComponent(link[1].slice("command:selfheal.showProvenance?".length))) as { folder: string; entryId: string }[];
    assert.equal(args[0].entryId, entryId);
    assert.equal(fs.realpathSync(args[0].folder), fs.realpathSync(folder));
    assert.equal(await hoverAt(uri, 2), undefined, "an untouched line has no provenance hover");

    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[] | null;
    assert.deepEqual(
      lenses?.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, (lens.command?.arguments?.[0] as { entryId?: string } | undefined)?.entryId]),
      [[1, "⟲ changed by prefer-const fix (entry #1)", "selfheal.showProvenance", entryId]],
    );
  });

  it("follows the ledger: an entry appended by another process moves and replaces what the hover shows", async () => {
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/app.ts": original });
    const first = await recordChange(folder, (text) => text.replace("  let sum = 0;", "  const sum = 0;"), "prefer-const", "sum is never reassigned.");
    client = await LspClient.start({ folder });
    await client.whenAnalyzed(30_000);
    const uri = uriOf(folder, "src/app.ts");
    await client.openFromDisk(uri);
    assert.ok((await hoverAt(uri, 1))?.includes(encodeURIComponent(first)));

    // "The CLI" inserts a header above: the first change's line moves down by two.
    const root = folder;
    const second = await recordChange(root, (text) => `// checked\n// twice\n${text}`, "file-header", "every file starts with a header.");
    // The editor reloads the unmodified buffer from disk, and the ledger's watcher fires.
    await client.replaceText(uri, fs.readFileSync(path.join(root, "src/app.ts"), "utf8"));
    await client.watchedFilesChanged([{ uri: uriOf(root, ".selfheal/ledger.jsonl"), type: 2 }]);
    const deadline = Date.now() + 20_000;
    let moved: string | undefined;
    while (Date.now() < deadline) {
      moved = await hoverAt(uri, 3);
      if (moved?.includes(encodeURIComponent(first))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(moved?.includes(encodeURIComponent(first)), `the first change is now on line 4: ${moved}`);
    assert.ok((await hoverAt(uri, 0))?.includes(encodeURIComponent(second)), "the header lines are the second change's");
  });
});
