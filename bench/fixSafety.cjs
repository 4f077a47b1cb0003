// `node bench/fixSafety.cjs <corpus> <maxAlonePerRule> <aloneBudgetMs>`: the fix-safety check
// of the test suite (out/server/src/engine/verify/fixSafety.js), run on a benchmark corpus. Every
// rule's fixes except no-explicit-any's (its only fix, `unknown`, is offered unpreferred because
// it can break the code that uses the value; the verifier is meant to decide it). Single fixes:
// a deterministic sample per rule within a time budget; all together: every fix. Nothing is
// written to disk. Prints one JSON line: the report, with the list of rules checked.
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { checkFixSafety } = require(path.join(root, "out/server/src/engine/verify/fixSafety.js"));
const { allRules } = require(path.join(root, "out/server/src/engine/rules/index.js"));

const [folder, perRule, budgetMs] = process.argv.slice(2);
const excluded = ["no-explicit-any"];
const ruleIds = allRules.filter((rule) => rule.meta.fixable && !excluded.includes(rule.meta.id)).map((rule) => rule.meta.id);

let lastLog = Date.now();
checkFixSafety(folder, {
  ruleIds,
  maxAlonePerRule: Number(perRule),
  aloneBudgetMs: Number(budgetMs),
  onProgress(done, total) {
    if (Date.now() - lastLog < 15_000 && done < total) return;
    lastLog = Date.now();
    console.error(`[bench]     fix safety: ${done}/${total} checks`);
  },
})
  .then((report) => process.stdout.write(JSON.stringify({ ruleIds, excluded, maxAlonePerRule: Number(perRule), aloneBudgetMs: Number(budgetMs), ...report }) + "\n"))
  .catch((error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  });
