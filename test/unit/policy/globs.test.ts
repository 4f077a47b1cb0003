import * as assert from "node:assert/strict";
import { braceExpansionCount, compileGlobs, globProblem } from "../../../server/src/engine/policy/globs";
import { closestName, editDistance } from "../../../server/src/engine/policy/suggest";

describe("policy globs", () => {
  const root = "/ws";

  it("match relative to the root, a folder glob covering its contents, dot files included", () => {
    const matcher = compileGlobs(["src/billing", "**/*.gen.ts", "docs/*.md"], root);
    assert.equal(matcher.firstMatch("/ws/src/billing/deep/pay.ts"), 0);
    assert.equal(matcher.firstMatch("/ws/src/billingx/pay.ts"), -1);
    assert.equal(matcher.firstMatch("/ws/.cache/x.gen.ts"), 1);
    assert.equal(matcher.firstMatch("/ws/docs/a.md"), 2);
    assert.equal(matcher.firstMatch("/other/src/billing/pay.ts"), -1, "outside the root nothing matches");
    assert.equal(matcher.firstMatch("C:\\ws\\src\\billing\\x.ts".replace("C:", "")), 0, "backslashed paths are normalized");
  });

  it("count brace expansions without expanding", () => {
    assert.equal(braceExpansionCount("src/**/*.{ts,tsx}"), 2);
    assert.equal(braceExpansionCount("{a,b}/{c,d,e}"), 6);
    assert.equal(braceExpansionCount("{a,{b,c}}"), 3);
    assert.equal(braceExpansionCount("{1..10}"), 10);
    assert.equal(braceExpansionCount("{a..z..5}"), 6);
    assert.equal(braceExpansionCount("no braces \\{a,b}"), 1);
    assert.ok(braceExpansionCount("{1..99999999}") > 256);
  });

  it("accept ordinary globs", () => {
    for (const glob of ["**", "src/**/*.ts", "./src/", "src/[ab]*.ts", "src/**/*.{ts,tsx}", "!(x)"]) assert.equal(globProblem(glob), undefined, glob);
  });
});

describe("policy suggestions", () => {
  it("edit distance counts swaps of neighbours as one edit", () => {
    assert.equal(editDistance("autofix", "autofx"), 1);
    assert.equal(editDistance("autofix", "atuofix"), 1);
    assert.equal(editDistance("", "abc"), 3);
  });

  it("suggests close names, and nothing for unrelated ones", () => {
    assert.equal(closestName("Rules", ["rules", "limits"]), "rules");
    assert.equal(closestName("limts", ["rules", "limits"]), "limits");
    assert.equal(closestName("banana", ["rules", "limits"]), undefined);
  });
});
