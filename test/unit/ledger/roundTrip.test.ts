import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { applyRecordedChange } from "../../../server/src/engine/ledger/recordedChange";
import { planRollback, rollbackDraft } from "../../../server/src/engine/ledger/rollback";
import { readLedger, verifyLedger } from "../../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../helpers/workspace";
import { agent, draftFor, workspace } from "./helpers";

/** Each case: the file's bytes before, and a text edit to make. Rolling the edit back must give back exactly these bytes. */
const cases: { name: string; before: string; edit: (text: string) => string }[] = [
  { name: "LF", before: "const a: any = 1;\nconst b = 2;\n", edit: (text) => text.replace("any", "unknown") },
  { name: "CRLF", before: "const a: any = 1;\r\nconst b = 2;\r\nconst c = 3;\r\n", edit: (text) => text.replace("any", "unknown").replace("const c = 3;\r\n", "") },
  { name: "no newline at the end", before: "const a = 1;\nconst b: any = 2;", edit: (text) => text.replace("any", "unknown") },
  { name: "adding the final newline", before: "const a: any = 1;", edit: (text) => text.replace("any", "unknown") + "\n" },
  { name: "removing the final newline", before: "const a: any = 1;\n", edit: (text) => text.replace("any", "unknown").trimEnd() },
  { name: "CRLF without a final newline", before: "const a: any = 1;\r\nconst b = 2;", edit: (text) => text.replace("any", "unknown") },
  { name: "mixed line endings and a lone CR", before: "a\r\nb: any\nc\rd\r\n", edit: (text) => text.replace("any", "unknown") },
  { name: "non-ASCII and a BOM", before: "\uFEFF// Grüße, 世界 𝄞\nconst naïve: any = 'é';\n", edit: (text) => text.replace("any", "unknown").replace("世界", "世界!") },
  { name: "an empty file", before: "", edit: () => "export {};\n" },
  { name: "to an empty file", before: "export {};\n", edit: () => "" },
  { name: "lines that look like patch headers", before: "-- a\n++ b\n--- c\n+++ d\n@@ -1 +1 @@\n\\ No newline\n", edit: (text) => text.replace("--- c", "---- c").replace("++ b", "+++ b") },
];

describe("ledger: apply, then roll back, gives back the same bytes", () => {
  afterEach(removeTempDirs);

  for (const { name, before, edit } of cases) {
    it(name, async () => {
      const ws = workspace({ "src/file.ts": before });
      const originalBytes = fs.readFileSync(path.join(ws.root, "src/file.ts"));
      const after = edit(before);
      assert.notEqual(after, before);
      const forward = [{ path: "src/file.ts", before, after }];
      const entry = await applyRecordedChange(ws.location, draftFor(forward), forward);
      assert.equal(ws.read("src/file.ts")?.toString("utf8"), after);

      const { entries } = await readLedger(ws.location.ledgerFile);
      const plan = planRollback(entries[0], ws.read, entries);
      assert.ok(plan.ok, JSON.stringify(plan));
      assert.equal(plan.exact, true);
      await applyRecordedChange(ws.location, rollbackDraft(entry, plan.edits, agent), plan.edits);
      assert.deepEqual(fs.readFileSync(path.join(ws.root, "src/file.ts")), originalBytes);
      assert.equal((await verifyLedger(ws.location.ledgerFile)).intact, true);
    });
  }

  it("keeps the file's mode", async function () {
    if (process.platform === "win32") this.skip();
    const ws = workspace({ "bin/run.sh": "#!/bin/sh\necho any\n" });
    const file = path.join(ws.root, "bin/run.sh");
    fs.chmodSync(file, 0o755);
    const forward = [{ path: "bin/run.sh", before: "#!/bin/sh\necho any\n", after: "#!/bin/sh\necho unknown\n" }];
    await applyRecordedChange(ws.location, draftFor(forward), forward);
    assert.equal(fs.statSync(file).mode & 0o777, 0o755);
  });
});
