import * as assert from "node:assert/strict";
import { addedDiagnostics, type DiagnosticRecord } from "../../../server/src/engine/agents/diagnosticDiff";

const file = "/ws/src/a.ts";
const before = ["let a: number = '1';", "let b: number = '2';", ""].join("\n");
// A line inserted at the top moves both old errors down one line; a new one of the same kind comes last.
const after = ["// header", "let a: number = '1';", "let b: number = '2';", "let c: number = '3';", ""].join("\n");
const edits = [
  { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "// header\n" },
  { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: "let c: number = '3';\n" },
];
const assignError = (line: number, start: number): DiagnosticRecord => ({ file, line, code: 2322, message: "Type 'string' is not assignable to type 'number'.", start });

describe("agents: which diagnostics a change added", () => {
  it("counts per file, code and message, and names the occurrence that no old one (moved with the edits) explains", () => {
    const old = [assignError(1, 4), assignError(2, 25)];
    const now = [assignError(2, 14), assignError(3, 35), assignError(4, 56)];
    assert.deepEqual(addedDiagnostics(old, now, new Map([[file, { before, after, edits }]])), [{ file, line: 4, code: 2322, message: "Type 'string' is not assignable to type 'number'." }]);
  });

  it("a diagnostic that only moved is not new; one that went away is not reported", () => {
    const moves = new Map([[file, { before, after, edits }]]);
    assert.deepEqual(addedDiagnostics([assignError(1, 4), assignError(2, 25)], [assignError(2, 14), assignError(3, 35)], moves), []);
    assert.deepEqual(addedDiagnostics([assignError(1, 4), assignError(2, 25)], [assignError(2, 14)], moves), []);
  });

  it("another code or message at the same place is new; files without a move keep their lines", () => {
    const other = "/ws/src/b.ts";
    const old = [{ file: other, line: 3, code: 2322, message: "x", start: 10 }];
    const now = [
      { file: other, line: 3, code: 2322, message: "x", start: 10 },
      { file: other, line: 3, code: 2345, message: "x", start: 10 },
    ];
    assert.deepEqual(addedDiagnostics(old, now), [{ file: other, line: 3, code: 2345, message: "x" }]);
  });
});
