import * as assert from "node:assert/strict";
import { describeChange } from "../../../server/src/engine/ledger/patches";
import { firstChangedLines, parseUnifiedDiff } from "../../../server/src/engine/ledger/view/unifiedDiff";

describe("provenance view: reading recorded patches for display", () => {
  it("a patch the ledger wrote: files, hunks, line numbers on both sides", () => {
    const before = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join("\n") + "\n";
    const after = before.replace("line 5\n", "line five\n").replace("line 15\n", "").replace("line 18\n", "line 18\nline 18b\n");
    const change = describeChange([
      { path: "src/a.ts", before, after },
      { path: "src/new.ts", before: null, after: "created\n" },
      { path: "src/gone.ts", before: "old\n", after: null },
    ]);
    const files = parseUnifiedDiff(change.forwardPatch);
    assert.deepEqual(
      files.map((file) => [file.oldPath, file.newPath, file.hunks.length]),
      [
        ["src/a.ts", "src/a.ts", 2],
        [null, "src/new.ts", 1],
        ["src/gone.ts", null, 1],
      ],
    );
    const [first] = files[0].hunks;
    assert.equal(first.header, "@@ -2,7 +2,7 @@");
    assert.deepEqual(
      first.lines.filter((line) => line.kind !== "context"),
      [
        { kind: "removed", text: "line 5", oldLine: 5 },
        { kind: "added", text: "line five", newLine: 5 },
      ],
    );
    assert.deepEqual(first.lines[0], { kind: "context", text: "line 2", oldLine: 2, newLine: 2 });
    const second = files[0].hunks[1];
    assert.deepEqual(second.lines.find((line) => line.kind === "added"), { kind: "added", text: "line 18b", newLine: 18 });
    assert.deepEqual(firstChangedLines(files), new Map([["src/a.ts", 5], ["src/new.ts", 1], ["src/gone.ts", 1]]));
  });

  it("no newline at end of file, CRLF lines, and git-quoted names are kept as they are", () => {
    const change = describeChange([{ path: 'src/we"ird\tname.ts', before: "a\r\nb", after: "a\r\nc" }]);
    const [file] = parseUnifiedDiff(change.forwardPatch);
    assert.equal(file.newPath, 'src/we"ird\tname.ts');
    assert.deepEqual(
      file.hunks[0].lines.map((line) => [line.kind, line.text]),
      [
        ["context", "a\r"],
        ["removed", "b"],
        ["note", "\\ No newline at end of file"],
        ["added", "c"],
        ["note", "\\ No newline at end of file"],
      ],
    );
  });

  it("text that is not a patch is kept as notes, never dropped; an empty patch has no files", () => {
    assert.deepEqual(parseUnifiedDiff(""), []);
    const files = parseUnifiedDiff("<script>alert(1)</script>\n@@ -1 +1 @@\n-a\n+b\ngarbage");
    assert.equal(files.length, 1);
    assert.deepEqual(files[0].notes, ["<script>alert(1)</script>"]);
    assert.deepEqual(
      files[0].hunks[0].lines.map((line) => line.kind),
      ["removed", "added", "note"],
    );
  });
});
