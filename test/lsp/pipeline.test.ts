/**
 * The agent pipeline over LSP, against the built server and a copy of test/fixtures/lsp-pipeline:
 * a quick fix's command is executed, the server sends `workspace/applyEdit`, the test client
 * answers as an editor would (see `ApplyEditMode`), and the change must be in the ledger with an
 * intact chain; a rollback through the server command gives back the files byte for byte.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type CodeAction, CodeActionRequest, type Diagnostic, ExecuteCommandRequest, MessageType } from "vscode-languageserver-protocol/node";
import type { LedgerEntry } from "../../server/src/engine/ledger/entry";
import { sha256Hex } from "../../server/src/engine/ledger/hashing";
import { pendingIntents } from "../../server/src/engine/ledger/intents";
import { readLedger, verifyLedger } from "../../server/src/engine/ledger/verify";
import { ledgerLocation } from "../../server/src/engine/ledger/workspacePaths";
import {
  applyFixAllCommand,
  applyFixCommand,
  type ChangeOutcome,
  type FixReference,
  ledgerEntriesRequest,
  previewContentRequest,
  previewPlanRequest,
  type PreviewSide,
  type PreviewTarget,
  rollbackEntryCommand,
} from "../../server/src/protocol/customMessages";
import { draftFor } from "../unit/ledger/helpers";
import { LspClient, removeWorkspace, repoRoot, uriOf } from "./lspClient";

const fixture = path.join(repoRoot, "test/fixtures/lsp-pipeline");

describe("LSP: the agent pipeline in the editor", () => {
  let folder: string;
  let client: LspClient | undefined;

  beforeEach(() => {
    folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-pipeline-")));
    fs.cpSync(fixture, folder, { recursive: true });
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  const location = () => ledgerLocation(folder);
  const uri = (name: string) => uriOf(folder, name);
  const read = (name: string) => fs.readFileSync(path.join(folder, name));

  /** Every file of the workspace but the ledger's own, name → bytes: what "identical to the start" compares. */
  function snapshot(): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !path.relative(folder, file).startsWith(".selfheal/ledger") && !path.relative(folder, file).startsWith(".selfheal/intents")) {
        files.set(path.relative(folder, file), sha256Hex(fs.readFileSync(file)));
      }
    }
    return files;
  }

  async function start(initializationOptions?: unknown): Promise<LspClient> {
    client = await LspClient.start({ folder, initializationOptions });
    await client.whenAnalyzed(30_000);
    return client;
  }

  /** Opens the file from disk and waits for the server's findings of `rule` in it (every rule, not only the protocol suites' three). */
  async function openWithFindings(name: string, rule: string, count: number): Promise<Diagnostic[]> {
    const from = client!.mark();
    await client!.openFromDisk(uri(name));
    const { event } = await client!.waitForEvent(
      "publish",
      from,
      (event) => event.uri === uri(name) && event.diagnostics.filter((d) => d.code === rule).length === count,
      `${count} ${rule} finding(s) in ${name}`,
      20_000,
    );
    return event.diagnostics.filter((d) => d.code === rule);
  }

  function codeActions(name: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return client!.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri(name) }, range, context: { diagnostics, only } }) as Promise<CodeAction[]>;
  }

  /** The actions once the findings are current again after an edit (until then a stale finding offers nothing). */
  async function currentActions(name: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    for (;;) {
      const from = client!.mark();
      const actions = await codeActions(name, [diagnostic]);
      if (actions.length > 0) return actions;
      // Not current means a pass is pending: its idle status follows.
      await client!.waitForEvent("status", from, (event) => event.status.state === "idle", `the findings of ${name} to be current`, 20_000);
    }
  }

  function execute(command: string, argument: unknown): Promise<ChangeOutcome> {
    return client!.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }) as Promise<ChangeOutcome>;
  }

  /** Runs the action's command as an editor does when the user picks it. */
  function run(action: CodeAction): Promise<ChangeOutcome> {
    assert.ok(action.command, `the action has no command: ${JSON.stringify(action)}`);
    return execute(action.command.command, action.command.arguments?.[0]);
  }

  async function entries(): Promise<LedgerEntry[]> {
    const { entries: all, integrity } = await readLedger(location().ledgerFile);
    assert.ok(integrity.intact, `the ledger is not intact: ${JSON.stringify(integrity)}`);
    return all;
  }

  const appliedEdits = () => client!.of("applyEdit");
  const messages = (id: string) => client!.of("showMessage").filter((event) => event.message.startsWith(`${id}:`));

  it("applies an auto fix through workspace/applyEdit, records it, and a rollback gives back the same bytes", async () => {
    await start();
    const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    const start0 = snapshot();

    const actions = await codeActions("src/shapes.ts", [first]);
    const fix = actions.find((action) => action.title === "Declare with `const` (auto)");
    assert.ok(fix, `no auto fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    assert.equal(fix.edit, undefined, "the edit is made when the command runs, against the text at that moment");
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.command?.command, applyFixCommand);
    assert.deepEqual(fix.command?.arguments, [{ uri: uri("src/shapes.ts"), version: 1, ruleId: "prefer-const", range: first.range, fixTitle: "Declare with `const`" }]);

    const outcome = await run(fix);
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    assert.equal(outcome.applied, true);
    assert.equal(read("src/shapes.ts").toString().split("\n")[1], "  const result: number = width * height;");

    // An auto fix is a plain edit, for the version the action was offered for.
    const [sent] = appliedEdits();
    assert.equal(sent.params.edit.changeAnnotations, undefined);
    assert.deepEqual(sent.params.edit.documentChanges, [
      { textDocument: { uri: uri("src/shapes.ts"), version: 1 }, edits: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, newText: "const" }] },
    ]);

    const [entry] = await entries();
    assert.deepEqual(await verifyLedger(location().ledgerFile), { intact: true, entries: 1, head: { seq: 1, hash: entry.predicate.chain.hash } });
    assert.equal(entry.predicate.id, outcome.entry?.id);
    assert.equal(entry.predicate.kind, "apply");
    assert.equal(entry.predicate.rule, "prefer-const");
    assert.equal(entry.predicate.actor.kind, "user");
    assert.equal(entry.predicate.decision?.outcome, "auto");
    assert.deepEqual(entry.predicate.decision?.reasons[0].origin, { file: ".selfheal/policy.yaml", line: 4, key: "rules.prefer-const.autofix" });
    assert.deepEqual(entry.predicate.files, [{ path: "src/shapes.ts", sha256Before: start0.get("src/shapes.ts"), sha256After: sha256Hex(read("src/shapes.ts")) }]);
    assert.deepEqual(pendingIntents(location()), [], "the intent is cleared once the entry is appended");
    assert.equal(messages("pipeline-applied")[0]?.type, MessageType.Info);

    const undo = await execute(rollbackEntryCommand, { entryId: entry.predicate.id });
    assert.equal(undo.id, "editor-rollback-applied", undo.message);
    assert.deepEqual(snapshot(), start0, "the rollback gives back every file byte for byte");
    // A rollback is always reviewed: its edit needs confirmation.
    const rollbackEdit = appliedEdits()[1].params.edit;
    assert.equal(rollbackEdit.changeAnnotations?.["selfheal.review"]?.needsConfirmation, true);
    const [undone, rollback] = await entries();
    assert.equal(undone.predicate.id, entry.predicate.id);
    assert.equal(rollback.predicate.kind, "rollback");
    assert.equal(rollback.predicate.undoes, entry.predicate.id);
    assert.equal(rollback.predicate.id, undo.entry?.id);
    assert.equal((await verifyLedger(location().ledgerFile)).intact, true);

    // Twice is refused, with the reason, and nothing is written.
    const again = await execute(rollbackEntryCommand, entry.predicate.id.slice(0, 8));
    assert.equal(again.id, "ledger-rollback-already-undone", again.message);
    assert.equal(again.applied, false);
    assert.match(again.message, new RegExp(`already rolled back by entry ${rollback.predicate.id}`));
    assert.equal(appliedEdits().length, 2, "no edit was sent for the refused rollback");
    assert.equal((await entries()).length, 2);
    assert.deepEqual(snapshot(), start0);
  });

  it("sends a review fix with a change annotation that needs confirmation; a cancelled preview records nothing", async () => {
    await start();
    const [any] = await openWithFindings("src/report.ts", "no-explicit-any", 1);
    const actions = await codeActions("src/report.ts", [any]);
    const fix = actions.find((action) => action.title === "Replace `any` with `unknown` (review)");
    assert.ok(fix, `no review fix among ${JSON.stringify(actions.map((action) => action.title))}`);
    const start0 = snapshot();

    client!.applyEditMode = "decline";
    const cancelled = await run(fix);
    assert.equal(cancelled.id, "pipeline-not-applied", cancelled.message);
    assert.equal(cancelled.applied, false);
    const [sent] = appliedEdits();
    assert.equal(sent.result.applied, false);
    const annotation = sent.params.edit.changeAnnotations?.["selfheal.review"];
    assert.equal(annotation?.needsConfirmation, true, JSON.stringify(sent.params.edit));
    assert.match(annotation?.description ?? "", /needs review: .*\(\.selfheal\/policy\.yaml:5\)/);
    const documentEdits = sent.params.edit.documentChanges as Array<{ edits: Array<{ annotationId?: string }> }>;
    assert.ok(documentEdits.every((change) => change.edits.every((edit) => edit.annotationId === "selfheal.review")), "every edit carries the annotation");
    assert.deepEqual(snapshot(), start0);
    assert.equal(fs.existsSync(location().ledgerFile), false, "nothing was recorded");
    assert.deepEqual(pendingIntents(location()), [], "the intent was cleared");

    // Accepted this time (the document did not change, so the same action still applies).
    client!.applyEditMode = "disk";
    const accepted = await run(fix);
    assert.equal(accepted.id, "pipeline-applied", accepted.message);
    const [entry] = await entries();
    assert.equal(entry.predicate.decision?.outcome, "review");
    assert.match(read("src/report.ts").toString(), /logPayload\(payload: unknown\)/);
    assert.deepEqual(entry.predicate.impact, []);
  });

  it("applies nothing when the document changed since the action was offered, and says so", async () => {
    await start();
    const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    const [fix] = await codeActions("src/shapes.ts", [first]);
    const start0 = snapshot();
    await client!.change(uri("src/shapes.ts"), [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: "\n" }]);

    const outcome = await run(fix);
    assert.equal(outcome.id, "editor-document-changed", outcome.message);
    assert.match(outcome.message, /src\/shapes\.ts changed since the action was offered \(version 1, now version 2\); nothing was changed/);
    assert.equal(appliedEdits().length, 0);
    assert.deepEqual(snapshot(), start0);
    assert.equal(fs.existsSync(location().ledgerFile), false);
    const [shown] = messages("editor-document-changed");
    assert.equal(shown?.type, MessageType.Warning);
  });

  it("fixes all of a rule in a file as one verified plan and one entry; the workspace action is denied by the protected path", async () => {
    await start();
    const findings = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    assert.deepEqual(await codeActions("src/shapes.ts", findings, ["source.fixAll"]).then((actions) => actions.map((action) => action.kind)), ["source.fixAll.selfheal"]);
    const [fixAll] = await codeActions("src/shapes.ts", findings, ["source.fixAll"]);
    assert.equal(fixAll.title, "Fix all prefer-const in shapes.ts, 2 findings (auto)");
    assert.equal(fixAll.command?.command, applyFixAllCommand);

    // The workspace reaches into src/billing, which the policy protects: one change, so all of it is denied.
    const [workspaceWide] = await codeActions("src/shapes.ts", findings, ["source.selfheal.fixAllInWorkspace"]);
    assert.equal(workspaceWide?.title, "Fix all prefer-const in workspace folder " + path.basename(folder) + ", 3 findings (denied)");
    assert.match(workspaceWide.disabled?.reason ?? "", /PCI scope: human changes only \(\.selfheal\/policy\.yaml:7\)/);
    assert.equal(workspaceWide.command, undefined);
    const refused = await execute(applyFixAllCommand, { ruleId: "prefer-const", scope: "workspace", uri: uri("src/shapes.ts"), version: 1 });
    assert.equal(refused.id, "pipeline-denied", refused.message);
    assert.equal(appliedEdits().length, 0);

    const outcome = await run(fixAll);
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    assert.equal(appliedEdits().length, 1, "one edit for the whole plan");
    const lines = read("src/shapes.ts").toString().split("\n");
    assert.equal(lines[1], "  const result: number = width * height;");
    assert.equal(lines[6], "  const sum: number = 2 * (width + height);");
    const all = await entries();
    assert.equal(all.length, 1);
    assert.equal(all[0].predicate.plan?.linesAdded, 2);
    assert.equal(all[0].predicate.plan?.linesRemoved, 2);
    assert.match(all[0].predicate.rationale, /2 findings of prefer-const/);
  });

  it("refuses a denied fix even when its command is invoked directly (fails closed)", async () => {
    await start();
    const [finding] = await openWithFindings("src/billing/charge.ts", "prefer-const", 1);
    const [denied] = await codeActions("src/billing/charge.ts", [finding]);
    assert.equal(denied.title, "Declare with `const` (denied)");
    assert.equal(denied.command, undefined, "a client that ignores `disabled` has nothing to run");
    assert.match(denied.disabled?.reason ?? "", /PCI scope: human changes only \(\.selfheal\/policy\.yaml:7\)$/);

    const start0 = snapshot();
    const reference: FixReference = { uri: uri("src/billing/charge.ts"), version: 1, ruleId: "prefer-const", range: finding.range, fixTitle: "Declare with `const`" };
    const outcome = await execute(applyFixCommand, reference);
    assert.equal(outcome.id, "pipeline-denied", outcome.message);
    assert.equal(outcome.applied, false);
    assert.equal(appliedEdits().length, 0);
    assert.deepEqual(snapshot(), start0);
    assert.equal(fs.existsSync(location().ledgerFile), false);

    // Bad arguments are refused naming the field.
    const bad = await execute(applyFixCommand, { ...reference, range: { start: { line: -1, character: 0 }, end: reference.range.end } });
    assert.equal(bad.id, "editor-bad-arguments");
    assert.match(bad.message, /range\.start\.line must be a whole number ≥ 0 \(got -1\)/);
  });

  it("like VS Code: edits stay in dirty buffers until the server asks to save them; a BOM and CRLF survive the fix and its rollback", async () => {
    const original = Buffer.from("\uFEFFexport function half(value: number): number {\r\n  let result: number = value / 2;\r\n  return result;\r\n}\r\n");
    fs.writeFileSync(path.join(folder, "src/windows.ts"), original);
    await start({ clientFeatures: { saveDocuments: true } });
    client!.applyEditMode = "buffer";
    const [finding] = await openWithFindings("src/windows.ts", "prefer-const", 1);
    const [fix] = await codeActions("src/windows.ts", [finding]);

    const outcome = await run(fix);
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    assert.deepEqual(client!.of("saveDocuments").map((event) => event.uris), [[uri("src/windows.ts")]], "exactly the changed file is saved");
    const fixed = read("src/windows.ts");
    assert.equal(fixed.toString(), "\uFEFFexport function half(value: number): number {\r\n  const result: number = value / 2;\r\n  return result;\r\n}\r\n");
    const [entry] = await entries();
    assert.deepEqual(entry.predicate.files, [{ path: "src/windows.ts", sha256Before: sha256Hex(original), sha256After: sha256Hex(fixed) }]);

    const undo = await execute(rollbackEntryCommand, entry.predicate.id);
    assert.equal(undo.id, "editor-rollback-applied", undo.message);
    assert.deepEqual(read("src/windows.ts"), original, "byte for byte, BOM and CRLF included");
    assert.equal((await verifyLedger(location().ledgerFile)).entries, 2);
  });

  it("saves a dirty buffer before the fix, so the ledger's before is what is on disk", async () => {
    await start({ clientFeatures: { saveDocuments: true } });
    client!.applyEditMode = "buffer";
    const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    // An unsaved edit: a comment at the end of the file.
    await client!.change(uri("src/shapes.ts"), [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: "// unsaved\n" }]);
    const [fix] = await currentActions("src/shapes.ts", first);
    assert.deepEqual((fix.command?.arguments?.[0] as FixReference).version, 2);

    const outcome = await run(fix);
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    const saves = client!.of("saveDocuments").map((save) => save.uris);
    assert.deepEqual(saves, [[uri("src/shapes.ts")], [uri("src/shapes.ts")]], "saved before the edit (the unsaved comment) and after it");
    const [entry] = await entries();
    const expectedBefore = fs.readFileSync(path.join(fixture, "src/shapes.ts"), "utf8") + "// unsaved\n";
    assert.equal(entry.predicate.files[0].sha256Before, sha256Hex(expectedBefore));
    assert.equal(entry.predicate.files[0].sha256After, sha256Hex(read("src/shapes.ts")));
  });

  it("refuses a rollback whose lines were edited since, naming the file and the hunk", async () => {
    await start();
    const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    const [fix] = await codeActions("src/shapes.ts", [first]);
    const applied = await run(fix);
    assert.equal(applied.id, "pipeline-applied", applied.message);
    // The user edits the fixed line and saves.
    await client!.change(uri("src/shapes.ts"), [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 14 } }, text: "product" }]);
    await client!.saveToDisk(uri("src/shapes.ts"));
    const edited = snapshot();

    const refused = await execute(rollbackEntryCommand, applied.entry!.id);
    assert.equal(refused.id, "ledger-rollback-conflict", refused.message);
    assert.match(refused.message, /src\/shapes\.ts hunk 1 @@ -1,\d+ \+1,\d+ @@: hunk 1 of 1 no longer fits/);
    assert.equal(appliedEdits().length, 1, "nothing was sent for the refused rollback");
    assert.deepEqual(snapshot(), edited);
    assert.equal((await entries()).length, 1);
  });

  it("previews a fix before it is applied, and an entry after, over the same requests the extension's diff editors use", async () => {
    await start();
    const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
    const [fix] = await codeActions("src/shapes.ts", [first]);
    const start0 = snapshot();
    const text = fs.readFileSync(path.join(folder, "src/shapes.ts"), "utf8");
    const fixed = text.replace("let result", "const result");

    const target: PreviewTarget = { kind: "fix", fix: fix.command!.arguments![0] as FixReference };
    const content = async (previewed: PreviewTarget, side: PreviewSide) => (await client!.connection.sendRequest(previewContentRequest, { target: previewed, file: "src/shapes.ts", side })).text;
    const summary = await client!.connection.sendRequest(previewPlanRequest, target);
    assert.equal(summary.title, "Declare with `const`");
    assert.deepEqual(summary.files, [{ path: "src/shapes.ts", uri: uri("src/shapes.ts") }]);
    assert.match(summary.forwardPatch, /^-  let result: number = width \* height;$/m);
    assert.match(summary.rollbackPatch, /^\+  let result: number = width \* height;$/m);
    assert.equal(await content(target, "before"), text);
    assert.equal(await content(target, "after"), fixed);
    assert.equal(await content(target, "restored"), text, "the rollback patch gives back exactly the text before");
    assert.deepEqual(snapshot(), start0, "a preview writes nothing");
    assert.equal(fs.existsSync(location().ledgerFile), false);

    // A preview for a version that is gone is refused with the reason.
    await client!.change(uri("src/shapes.ts"), [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: "\n" }]);
    await assert.rejects(client!.connection.sendRequest(previewPlanRequest, target), /^Error: editor-document-changed: src\/shapes\.ts changed since the action was offered/);
    await client!.replaceText(uri("src/shapes.ts"), text);
    const [again] = await currentActions("src/shapes.ts", first);
    const applied = await run(again);
    assert.equal(applied.id, "pipeline-applied", applied.message);

    const entry: PreviewTarget = { kind: "entry", entry: { entryId: applied.entry!.id.slice(0, 6) } };
    const entrySummary = await client!.connection.sendRequest(previewPlanRequest, entry);
    assert.equal(entrySummary.title, "ledger entry 1: apply prefer-const");
    assert.equal(await content(entry, "before"), text, "rebuilt from the file and the rollback patch");
    assert.equal(await content(entry, "after"), fixed);
    assert.equal(await content(entry, "current"), fixed);
    assert.equal(await content(entry, "restored"), text, "what a rollback would write now");

    const { entries: listed, problems } = await client!.connection.sendRequest(ledgerEntriesRequest);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      listed.map((summary) => [summary.seq, summary.kind, summary.rule, summary.files, summary.id, summary.folder]),
      [[1, "apply", "prefer-const", ["src/shapes.ts"], applied.entry!.id, uri("")]],
    );
  });

  describe("at start-up", () => {
    it("records a change a crashed writer left written but unrecorded, and warns once about one it cannot settle", async () => {
      const shapes = fs.readFileSync(path.join(folder, "src/shapes.ts"), "utf8");
      const fixedShapes = shapes.replace("let result", "const result");
      fs.writeFileSync(path.join(folder, "src/shapes.ts"), fixedShapes);
      const written = draftFor([{ path: "src/shapes.ts", before: shapes, after: fixedShapes }], { rule: "prefer-const" });
      const report = fs.readFileSync(path.join(folder, "src/report.ts"), "utf8");
      const half = draftFor([{ path: "src/report.ts", before: report.replace("any", "never"), after: report.replace("any", "unknown") }]);
      // Their writer (a pid that does not run) stopped after writing the files.
      for (const draft of [written, half]) {
        const intent = { version: 1, id: draft.id, createdAt: new Date().toISOString(), owner: { pid: 2 ** 22 + 12_345, hostname: os.hostname() }, entry: draft };
        fs.mkdirSync(location().intentsDir, { recursive: true });
        fs.writeFileSync(path.join(location().intentsDir, `${draft.id}.json`), JSON.stringify(intent));
      }

      await start();
      const all = await entries();
      assert.deepEqual(
        all.map((entry) => [entry.predicate.id, entry.predicate.reconciled]),
        [[written.id, true]],
      );
      assert.deepEqual(pendingIntents(location()), [half.id], "the conflict is kept for a person");
      const warnings = messages("editor-intents-unsettled");
      assert.equal(warnings.length, 1, JSON.stringify(client!.of("showMessage")));
      assert.equal(warnings[0].type, MessageType.Warning);
      assert.match(warnings[0].message, /1 change\(s\) written without being recorded could not be settled \(\.selfheal\/intents\): ledger-intent-conflict: .*src\/report\.ts: neither/);
      assert.ok(client!.of("log").some((event) => event.message.startsWith("ledger-intent-recorded:")), "each outcome is logged");
    });

    it("reports a torn ledger, naming the file and `selfheal ledger repair`", async () => {
      fs.mkdirSync(path.dirname(location().ledgerFile), { recursive: true });
      fs.writeFileSync(location().ledgerFile, '{"_type":"https://in-toto.io/Statement/v1","subj');
      await start();
      const [warning] = messages("editor-ledger-torn");
      assert.ok(warning, JSON.stringify(client!.of("showMessage")));
      assert.equal(warning.type, MessageType.Warning);
      assert.ok(warning.message.includes(location().ledgerFile), warning.message);
      assert.ok(warning.message.includes(`selfheal ledger repair ${folder}`), warning.message);

      // Appends are refused until it is repaired, so a fix is not applied either.
      const [first] = await openWithFindings("src/shapes.ts", "prefer-const", 2);
      const [fix] = await codeActions("src/shapes.ts", [first]);
      const outcome = await run(fix);
      assert.equal(outcome.id, "ledger-torn", outcome.message);
      assert.equal(appliedEdits().length, 0);
    });
  });
});
