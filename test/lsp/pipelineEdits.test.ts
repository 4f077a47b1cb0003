/**
 * The pure parts of the pipeline in the editor: the workspace edits the server sends, and the
 * checking of command arguments. (The flow itself is test/lsp/pipeline.test.ts, over LSP.)
 */
import * as assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ArgumentError, entryReferenceOf, fixAllReferenceOf, fixReferenceOf, previewContentParamsOf } from "../../server/src/lsp/commandArguments";
import { buildWorkspaceEdit, type EditCapabilities, type FileOperation, replacementEdits, UnsupportedEditError } from "../../server/src/lsp/workspaceEdits";

const vscodeLike: EditCapabilities = { documentChanges: true, changeAnnotations: true, createAndDelete: true };

function applied(before: string, after: string): string {
  const buffer = before.replace(/^\uFEFF/, "");
  return TextDocument.applyEdits(TextDocument.create("file:///x.ts", "typescript", 1, buffer), replacementEdits(before, after));
}

describe("pipeline edits", () => {
  describe("replacementEdits", () => {
    const cases: Array<[string, string, string]> = [
      ["one word", "let a = 1;\nlet b = 2;\n", "let a = 1;\nconst b = 2;\n"],
      ["CRLF kept whole", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"],
      ["a line break added before a CRLF", "a\r\nb", "a\r\n\r\nb"],
      ["surrogate pairs kept whole", "x = '𝄞';\n", "x = '𝄢';\n"],
      ["everything", "old\n", "new text\nwith lines\n"],
      ["to empty", "gone\n", ""],
      ["from empty", "", "created\n"],
      ["the byte order mark stays out of the buffer", "\uFEFFlet a = 1;\r\n", "\uFEFFconst a = 1;\r\n"],
    ];
    for (const [what, before, after] of cases) {
      it(`turns before into after: ${what}`, () => {
        assert.equal(applied(before, after), after.replace(/^\uFEFF/, ""));
        const [edit] = replacementEdits(before, after);
        // One edit, of the differing middle only (never the whole file when little changed).
        assert.ok(edit.newText.length <= after.length);
      });
    }

    it("leaves equal texts alone, and edits only the differing middle", () => {
      assert.deepEqual(replacementEdits("same\n", "same\n"), []);
      // "let" → "const" share their last letter: only "le" is replaced.
      assert.deepEqual(replacementEdits("let a = 1;\nlet b = 2;\n", "let a = 1;\nconst b = 2;\n"), [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } }, newText: "cons" }]);
    });

    it("never starts or ends an edit inside a CRLF or a surrogate pair", () => {
      for (const [before, after] of [
        ["a\r\nb", "a\r\n\r\nb"],
        ["𝄞", "𝄢"],
        ["x\r\n", "x\ny\r\n"],
      ]) {
        const [{ range }] = replacementEdits(before, after);
        const document = TextDocument.create("file:///x", "plaintext", 1, before);
        for (const position of [range.start, range.end]) {
          const offset = document.offsetAt(position);
          assert.ok(!(before[offset - 1] === "\r" && before[offset] === "\n"), `${JSON.stringify(before)}: ${JSON.stringify(range)} splits a CRLF`);
          assert.ok(!/[\uDC00-\uDFFF]/.test(before[offset] ?? ""), `${JSON.stringify(before)}: ${JSON.stringify(range)} splits a surrogate pair`);
        }
      }
    });
  });

  describe("buildWorkspaceEdit", () => {
    const edit: FileOperation = { kind: "edit", uri: "file:///w/a.ts", version: 4, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: "const" }] };
    const review = { label: "Declare with `const`", description: "needs review: …" };

    it("names the document version, and annotates every edit for confirmation only when asked", () => {
      assert.deepEqual(buildWorkspaceEdit([edit], vscodeLike), { documentChanges: [{ textDocument: { uri: "file:///w/a.ts", version: 4 }, edits: edit.edits }] });
      const reviewed = buildWorkspaceEdit([edit], vscodeLike, review);
      assert.deepEqual(reviewed.changeAnnotations, { "selfheal.review": { label: review.label, needsConfirmation: true, description: review.description } });
      assert.deepEqual(reviewed.documentChanges, [{ textDocument: { uri: "file:///w/a.ts", version: 4 }, edits: [{ ...edit.edits[0], annotationId: "selfheal.review" }] }]);
    });

    it("sends no annotation a client cannot honour (the caller asks the user instead)", () => {
      const edited = buildWorkspaceEdit([edit], { ...vscodeLike, changeAnnotations: false }, review);
      assert.equal(edited.changeAnnotations, undefined);
      assert.deepEqual(buildWorkspaceEdit([edit], { documentChanges: false, changeAnnotations: false, createAndDelete: false }, review), { changes: { "file:///w/a.ts": edit.edits } });
    });

    it("creates and deletes files only where the client can, and refuses otherwise", () => {
      const create: FileOperation = { kind: "create", uri: "file:///w/new.ts", text: "\uFEFFexport {};\n" };
      const remove: FileOperation = { kind: "delete", uri: "file:///w/old.ts" };
      assert.deepEqual(buildWorkspaceEdit([create, remove], vscodeLike).documentChanges, [
        { kind: "create", uri: "file:///w/new.ts", options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri: "file:///w/new.ts", version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: "export {};\n" }] },
        { kind: "delete", uri: "file:///w/old.ts", options: { ignoreIfNotExists: false } },
      ]);
      assert.throws(() => buildWorkspaceEdit([create], { ...vscodeLike, createAndDelete: false }), UnsupportedEditError);
      assert.throws(() => buildWorkspaceEdit([remove], { documentChanges: false, changeAnnotations: false, createAndDelete: false }), UnsupportedEditError);
    });
  });

  describe("command arguments", () => {
    const reference = { uri: "file:///w/a.ts", version: 3, ruleId: "prefer-const", range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, fixTitle: "Declare with `const`" };

    it("accepts what the code actions send", () => {
      assert.deepEqual(fixReferenceOf(reference), reference);
      assert.deepEqual(fixReferenceOf({ ...reference, version: null }).version, null);
      assert.deepEqual(fixAllReferenceOf({ ruleId: "prefer-const", scope: "file", uri: "file:///w/a.ts", version: 1 }).scope, "file");
      assert.deepEqual(entryReferenceOf("3f2b8c1e"), { entryId: "3f2b8c1e" });
      assert.deepEqual(entryReferenceOf({ entryId: "3f2b8c1e", folder: "file:///w" }), { entryId: "3f2b8c1e", folder: "file:///w" });
    });

    it("refuses bad input saying where and what", () => {
      const refusals: Array<[() => unknown, RegExp]> = [
        [() => fixReferenceOf(undefined), /^the argument must be an object \(got nothing\)$/],
        [() => fixReferenceOf({ ...reference, uri: 7 }), /^the argument\.uri must be a string \(got 7\)$/],
        [() => fixReferenceOf({ ...reference, version: 1.5 }), /^the argument\.version must be a whole number or null \(got 1\.5\)$/],
        [() => fixReferenceOf({ ...reference, range: { start: { line: 0 }, end: reference.range.end } }), /^the argument\.range\.start\.character must be a whole number ≥ 0 \(got nothing\)$/],
        [() => fixReferenceOf({ ...reference, fixTitle: "  " }), /^the argument\.fixTitle must not be empty$/],
        [() => fixAllReferenceOf({ ruleId: "r", scope: "everywhere", uri: "file:///w/a.ts", version: 1 }), /^the argument\.scope must be "file" or "workspace" \(got "everywhere"\)$/],
        [() => entryReferenceOf({ entryId: "abcd", folder: 3 }), /^the argument\.folder must be a folder URI \(got 3\)$/],
        [() => previewContentParamsOf({ target: { kind: "entry", entry: "abcd" }, file: "src/a.ts", side: "sideways" }), /^side must be one of before, after, current, restored \(got "sideways"\)$/],
        [() => previewContentParamsOf({ target: { kind: "plan" }, file: "src/a.ts", side: "after" }), /^the preview target\.kind must be "fix", "fixAll" or "entry" \(got "plan"\)$/],
      ];
      for (const [call, message] of refusals) assert.throws(call, (error: unknown) => error instanceof ArgumentError && message.test(error.message), String(message));
    });
  });
});
