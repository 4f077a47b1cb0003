import * as assert from "node:assert/strict";
import { newDiagnostics } from "../../../server/src/engine/verify/diagnostics";
import { applyOffsetEdits, InvalidEditError, mapRange, toOffsetEdits, unchangedOutsideEdits } from "../../../server/src/engine/verify/textEdits";

const at = (line: number, character: number) => ({ line, character });

describe("verify: text edits and diagnostics", () => {
  it("converts LSP edits to offsets, sorted, in CRLF text as well", () => {
    const text = "let a = 1;\r\nlet b = 2;\r\n";
    const edits = toOffsetEdits(text, [
      { range: { start: at(1, 0), end: at(1, 3) }, newText: "const" },
      { range: { start: at(0, 0), end: at(0, 3) }, newText: "const" },
    ]);
    assert.deepEqual(edits, [{ start: 0, end: 3, newText: "const" }, { start: 12, end: 15, newText: "const" }]);
    assert.equal(applyOffsetEdits(text, edits), "const a = 1;\r\nconst b = 2;\r\n");
  });

  it("rejects positions past the end of a line or the file, and overlapping edits", () => {
    const text = "ab\ncd\n";
    assert.throws(() => toOffsetEdits(text, [{ range: { start: at(0, 3), end: at(0, 3) }, newText: "x" }]), InvalidEditError);
    assert.throws(() => toOffsetEdits(text, [{ range: { start: at(5, 0), end: at(5, 0) }, newText: "x" }]), InvalidEditError);
    assert.throws(() => toOffsetEdits(text, [{ range: { start: at(0, 0), end: at(0, 2) }, newText: "x" }, { range: { start: at(0, 1), end: at(1, 1) }, newText: "y" }]), InvalidEditError);
    assert.throws(() => toOffsetEdits(text, [{ range: { start: at(0, 1), end: at(0, 1) }, newText: "x" }, { range: { start: at(0, 1), end: at(0, 1) }, newText: "y" }]), InvalidEditError);
  });

  it("(c) notices any change outside the edits, and accepts exactly the edited text", () => {
    const before = "const a = b == c;\n";
    const edits = [{ start: 12, end: 14, newText: "===" }];
    assert.equal(unchangedOutsideEdits(before, "const a = b === c;\n", edits), true);
    assert.equal(unchangedOutsideEdits(before, "const a = b === c; \n", edits), false);
    assert.equal(unchangedOutsideEdits(before, "const A = b === c;\n", edits), false);
    assert.equal(unchangedOutsideEdits(before, "const a = b ==== c;\n", edits), false);
  });

  it("maps a finding's range through the edits, collapsing it where its text was removed", () => {
    const before = "a;\nconsole.log(1);\nb;\n";
    const removal = [{ start: 3, end: 19, newText: "" }];
    const after = applyOffsetEdits(before, removal);
    assert.deepEqual(mapRange({ start: at(1, 0), end: at(1, 11) }, before, after, removal), { start: at(1, 0), end: at(1, 0) });
    assert.deepEqual(mapRange({ start: at(2, 0), end: at(2, 1) }, before, after, removal), { start: at(1, 0), end: at(1, 1) });
    const replace = [{ start: 0, end: 1, newText: "abc" }];
    assert.deepEqual(mapRange({ start: at(0, 0), end: at(0, 1) }, "a == b", "abc == b", replace), { start: at(0, 0), end: at(0, 3) });
  });

  it("counts a diagnostic as new when it occurs more often than before, whatever its position", () => {
    const before = new Map([["a.ts", new Map([["TS2322 x", 1]])]]);
    const after = new Map([["a.ts", new Map([["TS2322 x", 2], ["TS6133 y", 1]])], ["b.ts", new Map()]]);
    assert.deepEqual(newDiagnostics(before, after), ["a.ts: TS2322 x", "a.ts: TS6133 y"]);
    assert.deepEqual(newDiagnostics(after, before), []);
  });
});
