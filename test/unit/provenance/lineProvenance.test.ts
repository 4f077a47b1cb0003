import * as assert from "node:assert/strict";
import { genesisHash, type EntryDraft, type LedgerEntry } from "../../../server/src/engine/ledger/entry";
import { sealEntry } from "../../../server/src/engine/ledger/hashing";
import { lineProvenance, provenanceAt, splitLines, type LedgerValue } from "../../../server/src/engine/ledger/lineProvenance";
import { rollbackDraft } from "../../../server/src/engine/ledger/rollback";
import { agent, draftFor } from "../ledger/helpers";

const file = "src/app.ts";
const base = ["export function total(items: number[]): number {", "  let sum = 0;", "  for (const item of items) sum += item;", "  return sum;", "}", "", "export function first(items: number[]): number | undefined {", "  let head = items[0];", "  return head;", "}", ""].join("\n");

/** A ledger built in memory with the ledger's own drafts and sealing; `text` follows every change. */
class History {
  readonly entries: LedgerEntry[] = [];
  text = base;

  apply(edit: (text: string) => string, overrides: Partial<EntryDraft> = {}, path = file): LedgerEntry {
    const after = edit(this.text);
    assert.notEqual(after, this.text, "the edit changes the text");
    const entry = this.seal(draftFor([{ path, before: this.text, after }], overrides));
    this.text = after;
    return entry;
  }

  rollBack(undone: LedgerEntry, undoneText: string): LedgerEntry {
    const entry = this.seal(rollbackDraft(undone, [{ path: file, before: this.text, after: undoneText }], { kind: "user", name: "dana" }));
    this.text = undoneText;
    return entry;
  }

  values(): LedgerValue[] {
    // As a reader gets them: parsed JSON, keyed by position.
    return this.entries.map((entry, index) => ({ key: index * 100, value: JSON.parse(JSON.stringify(entry)) as unknown }));
  }

  private seal(draft: EntryDraft): LedgerEntry {
    const previous = this.entries[this.entries.length - 1];
    const entry = sealEntry(draft, this.entries.length + 1, previous ? previous.predicate.chain.hash : genesisHash);
    this.entries.push(entry);
    return entry;
  }
}

/** The ranges as "start-end:seq" (1-based lines, as a person reads them). */
function described(values: LedgerValue[], text: string): string[] {
  return lineProvenance(values, file, text).map((range) => `${range.startLine + 1}-${range.endLine + 1}:#${range.author.seq}`);
}

describe("line provenance: which recorded change wrote which current line", () => {
  it("credits the lines an apply added, with the entry's rule, time, actor and rationale", () => {
    const history = new History();
    const fix = history.apply((text) => text.replace("  let sum = 0;", "  const sum = 0;"), { rule: "prefer-const", time: "2025-06-03T09:41:07.512Z", rationale: "sum is never reassigned." });
    const ranges = lineProvenance(history.values(), file, history.text);
    assert.equal(ranges.length, 1);
    assert.deepEqual(ranges[0], {
      startLine: 1,
      endLine: 1,
      author: { key: 0, id: fix.predicate.id, seq: 1, time: "2025-06-03T09:41:07.512Z", rule: "prefer-const", rationale: "sum is never reassigned.", actorKind: agent.kind, actorName: agent.name },
    });
    assert.equal(provenanceAt(ranges, 1)?.author.id, fix.predicate.id);
    assert.equal(provenanceAt(ranges, 0), undefined, "an untouched line has no author");
    assert.deepEqual(lineProvenance(history.values(), "src/other.ts", "anything\n"), [], "another file has none");
  });

  it("moves a credited line down when a later entry inserts lines above it, and up when one removes lines", () => {
    const history = new History();
    history.apply((text) => text.replace("  let head = items[0];", "  const head = items[0];"), { rule: "prefer-const" });
    history.apply((text) => `// header 1\n// header 2\n// header 3\n${text}`, { rule: "file-header" });
    assert.deepEqual(described(history.values(), history.text), ["1-3:#2", "11-11:#1"]);
    history.apply((text) => text.replace("  for (const item of items) sum += item;\n", "").replace("// header 3\n", ""), { rule: "dead-code" });
    assert.deepEqual(described(history.values(), history.text), ["1-2:#2", "9-9:#1"]);
    assert.equal(splitLines(history.text)[8], "  const head = items[0];", "the credited line is the one the first fix wrote");
  });

  it("drops a line from an older entry when a later entry rewrote it, and credits the newer one", () => {
    const history = new History();
    history.apply((text) => text.replace("  let sum = 0;", "  const sum = 0;"), { rule: "prefer-const" });
    history.apply((text) => text.replace("  const sum = 0;", "  const sum: number = 0;"), { rule: "explicit-types" });
    assert.deepEqual(described(history.values(), history.text), ["2-2:#2"]);
  });

  it("skips an entry that was rolled back, and still shifts by what the rollback and the entries around it did", () => {
    const history = new History();
    history.apply((text) => text.replace("  let head = items[0];", "  const head = items[0];"), { rule: "prefer-const" });
    const beforeUndone = history.text;
    const undone = history.apply((text) => `// generated\n// twice\n${text}`, { rule: "file-header" });
    history.rollBack(undone, beforeUndone);
    history.apply((text) => text.replace("  let sum = 0;", "  const sum = 0;"), { rule: "prefer-const" });
    const ranges = lineProvenance(history.values(), file, history.text);
    assert.deepEqual(
      ranges.map((range) => [range.startLine + 1, range.author.seq]),
      [
        [2, 4],
        [8, 1],
      ],
    );
    assert.ok(!ranges.some((range) => range.author.id === undone.predicate.id || range.author.seq === 3), "neither the undone entry nor its rollback is credited");
  });

  it("follows edits the ledger did not record: a credited line found a little above or below, and dropped once changed by hand", () => {
    const history = new History();
    history.apply((text) => text.replace("  let head = items[0];", "  const head = items[0];"), { rule: "prefer-const" });
    const handInserted = `// a person added this\n${history.text}`;
    assert.deepEqual(described(history.values(), handInserted), ["9-9:#1"]);
    const handChanged = history.text.replace("  const head = items[0];", "  const head = items.at(0);");
    assert.deepEqual(described(history.values(), handChanged), []);
  });

  it("credits every line of a file the entry created, and nothing after a later entry deleted it", () => {
    const history = new History();
    history.text = "";
    const created = sealEntry(draftFor([{ path: file, before: null, after: "export const a = 1;\nexport const b = 2;\n" }], { rule: "split-module" }), 1, genesisHash);
    const deleted = sealEntry(draftFor([{ path: file, before: "export const a = 1;\nexport const b = 2;\n", after: null }], { rule: "dead-file" }), 2, created.predicate.chain.hash);
    const values = [created, deleted].map((entry, index) => ({ key: index, value: JSON.parse(JSON.stringify(entry)) as unknown }));
    assert.deepEqual(
      lineProvenance(values.slice(0, 1), file, "export const a = 1;\nexport const b = 2;\n").map((range) => [range.startLine, range.endLine]),
      [[0, 1]],
    );
    assert.deepEqual(lineProvenance(values, file, "export const a = 1;\nexport const b = 2;\n"), [], "the file was deleted since: what stands there now is not that entry's");
  });

  it("keeps CRLF text and a missing final newline lined up", () => {
    const history = new History();
    history.text = "let a = 1;\r\nlet b = 2;\r\nlet c = 3;";
    history.apply((text) => text.replace("let c = 3;", "const c = 3;"), { rule: "prefer-const" });
    assert.deepEqual(described(history.values(), history.text), ["3-3:#1"]);
  });

  it("ignores lines that are not entries and entries whose patch is not a patch (an untrusted ledger)", () => {
    const history = new History();
    history.apply((text) => text.replace("  let sum = 0;", "  const sum = 0;"), { rule: "prefer-const" });
    const broken = JSON.parse(JSON.stringify(history.entries[0])) as LedgerEntry;
    (broken.predicate as unknown as Record<string, unknown>).forwardPatch = 42;
    const values: LedgerValue[] = [{ key: 1, value: null }, { key: 2, value: "torn" }, { key: 3, value: broken }, ...history.values()];
    assert.deepEqual(described(values, history.text), ["2-2:#1"]);
  });
});
