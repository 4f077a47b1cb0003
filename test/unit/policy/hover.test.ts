import * as assert from "node:assert/strict";
import { ruleDocsUri } from "../../../server/src/engine/docs";
import { policyHover } from "../../../server/src/engine/policy/hover";
import { lines } from "./helpers";

const text = lines(
  "version: 1",
  "extends: recommended",
  "rules:",
  "  no-explicit-any: { severity: warning, autofix: review }",
  "limits: { maxFilesPerChange: 5 }",
  "exceptions:",
  '  - { paths: ["src/**"], rule: floating-promise, reason: r, owner: o, expires: 2030-01-01 }',
);

/** The hover with the cursor on the first occurrence of `needle` after `after`. */
function hoverAt(needle: string, after = "", source = text) {
  const offset = source.indexOf(needle, source.indexOf(after)) + 1;
  return policyHover(source, offset);
}

describe("policy hover", () => {
  it("a key shows its schema description, over the key's range", () => {
    const hover = hoverAt("autofix");
    assert.ok(hover);
    assert.match(hover.markdown, /^\*\*autofix\*\*\n\nWhat automation may do with this rule's fixes: `auto`/);
    assert.deepEqual(hover.range, { start: { line: 3, character: 40 }, end: { line: 3, character: 47 } });
  });

  it("a top-level key", () => {
    assert.match(hoverAt("limits")?.markdown ?? "", /^\*\*limits\*\*\n\nThe largest change automation may make on its own/);
    assert.match(hoverAt("maxFilesPerChange")?.markdown ?? "", /The most files one automated change may edit/);
  });

  it("a rule id shows the rule's description, facts and docs link", () => {
    const hover = hoverAt("no-explicit-any");
    assert.ok(hover);
    assert.equal(
      hover.markdown,
      `**no-explicit-any** (rule)\n\nDisallow the \`any\` type; prefer \`unknown\` or a precise type.\n\ndefault severity: warning · type-aware: no · fix: yes\n\n[Documentation](${ruleDocsUri("no-explicit-any")})`,
    );
    assert.deepEqual(hover.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 17 } });
  });

  it("an exception's rule value shows that rule", () => {
    assert.match(hoverAt("floating-promise")?.markdown ?? "", /^\*\*floating-promise\*\* \(rule\)\n\nPromises must be awaited/);
  });

  it("an allowed value says what it means", () => {
    assert.match(hoverAt("review", "autofix")?.markdown ?? "", /^`review`: Offer the fixes, but a human confirms each in the refactor preview/);
    assert.match(hoverAt("warning", "severity")?.markdown ?? "", /^`warning`: Report findings as warnings\./);
  });

  it("a bundled policy name describes it", () => {
    assert.match(hoverAt("recommended")?.markdown ?? "", /^\*\*recommended\*\* \(bundled policy\)/);
  });

  it("nothing for comments, blank space, unknown keys and oversized files", () => {
    assert.equal(policyHover("# just a comment\n", 3), undefined);
    assert.equal(policyHover("version: 1\nfoo: 1\n", 12), undefined);
    assert.equal(policyHover("version: 1\n" + "#".repeat(300 * 1024), 2), undefined);
  });

  it("still works above a syntax error", () => {
    assert.match(policyHover("version: 1\nlimits: { maxFilesPerChange: 5\n", 13)?.markdown ?? "", /^\*\*limits\*\*/);
  });
});
