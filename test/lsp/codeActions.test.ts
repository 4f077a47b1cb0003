import * as assert from "node:assert/strict";
import { type CodeAction, CodeActionKind, CodeActionRequest, type Diagnostic, ExecuteCommandRequest, type TextDocumentEdit, type TextEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { type ChangeOutcome, type FixReference } from "../../server/src/protocol/customMessages";
import { createWorkspace, LspClient, removeWorkspace, tsconfig, uriOf } from "./lspClient";

const mainText = [
  'import { save } from "./store";',
  "",
  "async function run() {",
  "  save();",
  "}",
  "",
  "save();",
  "let loose: any;",
  "export { run, loose };",
  "",
].join("\n");

// Without a policy file the bundled recommended policy decides: both rules' fixes need review.
const voidTitle = "Mark as intentionally not awaited (`void`) (review)";
const awaitTitle = "Await the promise (later statements will wait for it) (review)";

describe("LSP code actions", () => {
  let folder: string;
  let main: string;
  let client: LspClient | undefined;

  beforeEach(async () => {
    folder = createWorkspace({ "tsconfig.json": tsconfig, "src/store.ts": "export async function save(): Promise<void> {}\n", "src/main.ts": mainText });
    main = uriOf(folder, "src/main.ts");
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  async function start(settings: Record<string, unknown> = {}): Promise<Diagnostic[]> {
    client = await LspClient.start({ folder, settings });
    await client.whenAnalyzed();
    const from = client.mark();
    await client.open(main, mainText);
    return client.waitForPublish(main, from, (diagnostics) => diagnostics.length === 3, "the three findings after open");
  }

  function codeActions(diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return client!.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: main }, range, context: { diagnostics, only } }) as Promise<CodeAction[]>;
  }

  /**
   * The edit the action's command sends through `workspace/applyEdit` (its change annotation left
   * out), with the preview cancelled so nothing changes: the action itself carries no edit.
   */
  async function editOf(action: CodeAction): Promise<TextEdit[]> {
    assert.equal(action.edit, undefined, "the edit is made when the command runs");
    const from = client!.mark();
    client!.applyEditMode = "decline";
    const outcome = (await client!.connection.sendRequest(ExecuteCommandRequest.type, { command: action.command!.command, arguments: action.command!.arguments })) as ChangeOutcome;
    assert.equal(outcome.id, "pipeline-not-applied", outcome.message);
    const { event } = await client!.waitForEvent("applyEdit", from);
    const changes = event.params.edit.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((change) => change.textDocument.uri), [main], "a quick fix for one file must touch only that file");
    return changes[0].edits.map((edit) => ({ range: edit.range, newText: edit.newText }));
  }

  /** What the editor would show after applying the action's edit to the document. */
  async function applied(action: CodeAction, text = mainText): Promise<string> {
    return TextDocument.applyEdits(TextDocument.create(main, "typescript", 1, text), await editOf(action));
  }

  const lineOf = (text: string, line: number) => text.split("\n")[line];
  const at = (diagnostics: Diagnostic[], code: string, line: number) => diagnostics.find((d) => d.code === code && d.range.start.line === line)!;

  it("offers `void` (preferred) and `await` inside an async function, each with its policy decision and exact edits", async () => {
    const diagnostic = at(await start(), "floating-promise", 3);
    const actions = await codeActions([diagnostic]);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred, action.command?.command]),
      [
        [voidTitle, CodeActionKind.QuickFix, true, "selfheal.applyFix"],
        [awaitTitle, CodeActionKind.QuickFix, false, "selfheal.applyFix"],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    const reference: FixReference = { uri: main, version: 1, ruleId: "floating-promise", range: diagnostic.range, fixTitle: "Mark as intentionally not awaited (`void`)" };
    assert.deepEqual(actions[0].command?.arguments, [reference]);
    assert.deepEqual(await editOf(actions[0]), [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 2 } }, newText: "void " }]);
    assert.equal(lineOf(await applied(actions[0]), 3), "  void save();");
    assert.equal(lineOf(await applied(actions[1]), 3), "  await save();");
  });

  it("offers only `void` where `await` is not allowed", async () => {
    const actions = await codeActions([at(await start(), "floating-promise", 6)]);
    assert.deepEqual(
      actions.map((action) => action.title),
      [voidTitle],
    );
    assert.equal(lineOf(await applied(actions[0]), 6), "void save();");
  });

  it("replaces `any` with `unknown`, not preferred (it can break callers)", async () => {
    const actions = await codeActions([at(await start(), "no-explicit-any", 7)]);
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred]),
      [["Replace `any` with `unknown` (review)", false]],
    );
    assert.equal(lineOf(await applied(actions[0]), 7), "let loose: unknown;");
  });

  it("answers only for quick fixes and only for its own diagnostics", async () => {
    const diagnostic = at(await start(), "floating-promise", 6);
    assert.deepEqual(await codeActions([diagnostic], [CodeActionKind.Refactor]), []);
    assert.equal((await codeActions([diagnostic], [CodeActionKind.QuickFix])).length, 1);
    // Another linter's diagnostic with our code and range must not get our fix.
    assert.deepEqual(await codeActions([{ ...diagnostic, source: "eslint" }]), []);
  });

  it("the applied fix makes the finding go away; an editor that only edits buffers gets it recorded once it saves", async () => {
    const diagnostic = at(await start(), "floating-promise", 6);
    const [fix] = await codeActions([diagnostic]);
    const expected = await applied(fix);
    // Like most editors: the edit goes to the buffer (a didChange), and the file is saved later.
    client!.applyEditMode = "buffer";
    const from = client!.mark();
    const running = client!.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command!.command, arguments: fix.command!.arguments }) as Promise<ChangeOutcome>;
    await client!.waitForEvent("showMessage", from, (event) => event.message.startsWith("editor-waiting-for-save:"), "the request to save");
    assert.equal(client!.text(main), expected);
    await client!.saveToDisk(main);
    const outcome = await running;
    assert.equal(outcome.id, "pipeline-applied", outcome.message);
    assert.equal(outcome.entry?.seq, 1);
    const after = await client!.waitForDiagnostics(main, (diagnostics) => !diagnostics.some((d) => d.code === "floating-promise" && d.range.start.line === 6), "the fixed finding gone");
    assert.deepEqual(
      after.map((d) => [d.code, d.range.start.line]),
      [
        ["floating-promise", 3],
        ["no-explicit-any", 7],
      ],
    );
  });

  it("offers nothing for a diagnostic whose text has moved since it was published", async () => {
    // A long debounce keeps the type-aware result stale while we ask.
    const before = await start({ debounceMs: 2000 });
    const oldFloating = at(before, "floating-promise", 6);
    const oldAny = at(before, "no-explicit-any", 7);
    const typed = client!.mark();
    await client!.change(main, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }]);
    assert.deepEqual(await codeActions([oldFloating]), [], "a fix computed for the old text would edit the wrong line");
    assert.deepEqual(await codeActions([oldAny]), []);

    // The keystroke pass shows the old finding moved along; it has no fix until it is recomputed.
    const carried = await client!.waitForPublish(main, typed, (diagnostics) => diagnostics.length === 3, "the keystroke publish");
    assert.deepEqual(await codeActions([at(carried, "floating-promise", 7)]), []);

    await client!.waitForEvent("status", typed, (event) => event.status.state === "idle", "the type-aware pass");
    assert.deepEqual(await codeActions([oldFloating]), [], "the old range no longer holds the finding");
    const [fix] = await codeActions([at(client!.findings(main), "floating-promise", 7)]);
    // The ledger records files on disk: with the typed newline unsaved, the fix is refused rather than recorded against text that is nowhere.
    const unsaved = (await client!.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command!.command, arguments: fix.command!.arguments })) as ChangeOutcome;
    assert.equal(unsaved.id, "editor-unsaved-files", unsaved.message);
    await client!.saveToDisk(main);
    assert.equal(lineOf(await applied(fix, client!.text(main)), 7), "void save();");
  });
});
