import * as assert from "node:assert/strict";
import type { Range } from "../../../server/src/engine/findings";
import { shiftRange } from "../../../server/src/lsp/rangeShift";

const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});

/** A finding on line 5, characters 10–15. */
const finding = range(5, 10, 5, 15);

describe("lsp: shiftRange", () => {
  it("leaves a range alone when the edit is after it, including right at its end", () => {
    assert.deepEqual(shiftRange(finding, { range: range(7, 0, 7, 3), text: "" }), finding);
    assert.deepEqual(shiftRange(finding, { range: range(5, 15, 5, 15), text: "xyz" }), finding);
  });

  it("moves the range right when text is typed before it on the same line", () => {
    assert.deepEqual(shiftRange(finding, { range: range(5, 2, 5, 2), text: "abc" }), range(5, 13, 5, 18));
  });

  it("moves the range left when text before it on the same line is deleted", () => {
    assert.deepEqual(shiftRange(finding, { range: range(5, 0, 5, 4), text: "" }), range(5, 6, 5, 11));
  });

  it("moves the range down when lines are inserted above it, keeping its columns", () => {
    assert.deepEqual(shiftRange(finding, { range: range(1, 3, 1, 3), text: "a\nb\n" }), range(7, 10, 7, 15));
  });

  it("moves the range up when lines above it are deleted", () => {
    assert.deepEqual(shiftRange(finding, { range: range(2, 0, 4, 0), text: "" }), range(3, 10, 3, 15));
  });

  it("recomputes the columns when a line break is inserted before the range on its own line", () => {
    // "0123456789finding" with a newline typed at column 4: the finding now starts at column 6 of line 6.
    assert.deepEqual(shiftRange(finding, { range: range(5, 4, 5, 4), text: "\n" }), range(6, 6, 6, 11));
  });

  it("joins lines: deleting the line break before the range moves it onto the previous line", () => {
    // Line 4 has 20 characters; deleting from its end to line 5 column 0 appends line 5 to it.
    assert.deepEqual(shiftRange(finding, { range: range(4, 20, 5, 0), text: "" }), range(4, 30, 4, 35));
  });

  it("shifts only the start line's columns of a multi-line range", () => {
    assert.deepEqual(shiftRange(range(5, 10, 7, 3), { range: range(5, 0, 5, 0), text: "//" }), range(5, 12, 7, 3));
  });

  it("moves a range whose start is exactly where text is inserted", () => {
    assert.deepEqual(shiftRange(finding, { range: range(5, 10, 5, 10), text: "await " }), range(5, 16, 5, 21));
  });

  it("gives up (undefined) when the edit touches the range itself", () => {
    assert.equal(shiftRange(finding, { range: range(5, 12, 5, 12), text: "x" }), undefined);
    assert.equal(shiftRange(finding, { range: range(5, 8, 5, 11), text: "" }), undefined);
    assert.equal(shiftRange(finding, { range: range(5, 14, 6, 0), text: "" }), undefined);
    assert.equal(shiftRange(finding, { range: range(0, 0, 9, 0), text: "replaced" }), undefined);
  });

  it("handles CRLF text the editor inserts", () => {
    assert.deepEqual(shiftRange(finding, { range: range(0, 0, 0, 0), text: "a\r\nb\r\n" }), range(7, 10, 7, 15));
  });
});
