/** `selfheal fix` on a copy of test/fixtures/cli/fix-workspace, through the built CLI (dist/selfheal.js). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { applyFilePatch, splitPatch } from "../../server/src/engine/ledger/patches";
import { readLedger } from "../../server/src/engine/ledger/verify";
import { removeTempDirs } from "../unit/helpers/workspace";
import { copyFixture, runCli, type CliResult } from "./helpers";

async function fix(...args: string[]): Promise<CliResult> {
  return runCli(["fix", ...args]);
}

/** Every file of the folder (ledger folder aside) with its bytes, to prove nothing else changed. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
    const file = path.join(root, name);
    if (fs.statSync(file).isFile()) files.set(name.split(path.sep).join("/"), fs.readFileSync(file, "latin1"));
  }
  return files;
}

describe("CLI: selfheal fix", function () {
  this.timeout(120_000);
  let ws: string;
  let original: Map<string, string>;
  const at = (relative: string) => path.join(ws, relative);
  const ledgerFile = () => at(".selfheal/ledger.jsonl");

  beforeEach(() => {
    ws = copyFixture("fix-workspace");
    original = snapshot(ws);
  });
  afterEach(removeTempDirs);

  it("--dry-run prints the decision, the verification and both diffs, and writes nothing", async () => {
    const result = await fix(ws, "--rule", "prefer-const", "--file", at("src/shapes.ts"), "--dry-run");
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^plan [0-9a-f]{12}: Fix all 2 findings of prefer-const in src\/shapes\.ts$/m);
    assert.match(result.stdout, /^  impact: src\/report\.ts$/m);
    assert.match(result.stdout, /^decision: auto$/m);
    assert.match(result.stdout, /prefer-const fixes may apply without review \(rules\.prefer-const\.autofix\) \(\.selfheal\/policy\.yaml:4\)/);
    assert.match(result.stdout, /^verification: passed; type check of 1 file/m);
    assert.match(result.stdout, /^  command `test -f tsconfig\.json`: exit 0 in/m);
    const forward = result.stdout.slice(result.stdout.indexOf("--- forward patch"), result.stdout.indexOf("--- rollback patch"));
    const rollback = result.stdout.slice(result.stdout.indexOf("--- rollback patch"));
    assert.match(forward, /^-  let result: number = width \* height;$/m);
    assert.match(forward, /^\+  const result: number = width \* height;$/m);
    assert.match(forward, /^\+  const sum: number/m);
    assert.match(rollback, /^-  const result: number = width \* height;$/m);
    assert.match(rollback, /^\+  let result: number = width \* height;$/m);
    assert.match(result.stdout, /^pipeline-dry-run: dry run: verified; the policy would let it apply on its own; nothing was written$/m);
    assert.deepEqual(snapshot(ws), original);
  });

  it("applies (auto), records one entry whose patches round-trip, and the second run records nothing", async () => {
    const result = await fix(ws, "--rule", "prefer-const", "--file", at("src/shapes.ts"));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const applied = /^pipeline-applied: applied src\/shapes\.ts; recorded as ledger entry (\S+) \(seq 1\) in \.selfheal\/ledger\.jsonl$/m.exec(result.stdout);
    assert.ok(applied, result.stdout);
    const now = fs.readFileSync(at("src/shapes.ts"), "utf8");
    const before = original.get("src/shapes.ts") as string;
    assert.equal(now, before.replace("let result", "const result").replace("let sum", "const sum"));

    const { entries, integrity } = await readLedger(ledgerFile());
    assert.equal(integrity.intact, true);
    assert.equal(entries.length, 1);
    const entry = entries[0].predicate;
    assert.equal(entry.id, applied[1]);
    assert.equal(entry.actor.kind, "cli");
    assert.deepEqual(entry.evidence?.commands.map((run) => [run.command, run.exitCode]), [["test -f tsconfig.json", 0]]);
    const forward = splitPatch(entry.forwardPatch).get("src/shapes.ts");
    const rollback = splitPatch(entry.rollbackPatch).get("src/shapes.ts");
    assert.deepEqual(applyFilePatch(before, forward as never), { ok: true, text: now });
    assert.deepEqual(applyFilePatch(now, rollback as never), { ok: true, text: before });

    const ledgerBytes = fs.readFileSync(ledgerFile());
    const again = await fix(ws, "--rule", "prefer-const", "--file", at("src/shapes.ts"));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^plan-nothing-to-fix: nothing to fix: no finding of prefer-const in src\/shapes\.ts/m);
    assert.deepEqual(fs.readFileSync(ledgerFile()), ledgerBytes);

    const verify = runCli(["ledger", "verify", ws]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /ledger intact: 1 entry/);
  });

  it("refuses a protected path with the policy line, even with --yes, and writes nothing", async () => {
    const result = await fix(ws, "--rule", "prefer-const", "--file", at("src/billing/charge.ts"), "--yes");
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^decision: deny$/m);
    assert.match(result.stdout, /src\/billing\/charge\.ts is protected by "src\/billing\/\*\*": PCI scope: human changes only \(\.selfheal\/policy\.yaml:7\)/);
    assert.match(result.stderr, /^selfheal: pipeline-denied: denied by policy: .*\(\.selfheal\/policy\.yaml:7\)$/m);
    assert.deepEqual(snapshot(ws), original);
  });

  it("the whole folder is one plan: a protected file in it denies all of it", async () => {
    const result = await fix(ws, "--rule", "prefer-const");
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Fix all 3 findings of prefer-const in the workspace/);
    assert.match(result.stdout, /protected paths touched: src\/billing\/charge\.ts/);
    assert.deepEqual(snapshot(ws), original);
  });

  it("review: refuses without --yes (showing the diff), applies with it", async () => {
    const refused = await fix(ws, "--rule", "no-var");
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /^decision: review$/m);
    assert.match(refused.stdout, /^-  var total: number = items\.length;$/m);
    assert.match(refused.stdout, /run the command again with --yes to apply it/);
    assert.match(refused.stderr, /^selfheal: pipeline-needs-review: /m);
    assert.deepEqual(snapshot(ws), original);

    const accepted = await fix(ws, "--rule", "no-var", "--yes");
    assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
    assert.match(fs.readFileSync(at("src/count.ts"), "utf8"), /^ {2}(const|let) total: number = items\.length;$/m);
    const { entries } = await readLedger(ledgerFile());
    assert.equal(entries.length, 1);
    assert.equal(entries[0].predicate.decision?.outcome, "review");
  });

  it("--format json: the outcome id, the plan, the decision with its policy lines, both patches", async () => {
    const result = await fix(ws, "--rule", "prefer-const", "--file", at("src/shapes.ts"), "--dry-run", "--format", "json");
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.outcome, "pipeline-dry-run");
    assert.deepEqual(report.plan.files, ["src/shapes.ts"]);
    assert.deepEqual(report.plan.impact, ["src/report.ts"]);
    assert.equal(report.plan.risk.exportedApiTouched, false);
    assert.deepEqual(report.decision.reasons[0].policy, { file: ".selfheal/policy.yaml", line: 4, key: "rules.prefer-const.autofix" });
    assert.equal(report.verification.ok, true);
    assert.match(report.forwardPatch, /^\+  const result/m);
    assert.match(report.rollbackPatch, /^\+  let result/m);
  });

  it("a wrong command line is a usage error (exit 2) naming what is wrong", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[ws], /needs --rule/],
      [[ws, "--rule", "no-such-rule"], /no rule has the id 'no-such-rule'/],
      [[ws, "--rule", "complexity"], /complexity offers no fix/],
      [[ws, "--rule", "prefer-const", "--file", at("src/missing.ts")], /no such file/],
      [[ws, "--rule", "prefer-const", "--format", "sarif"], /--format must be one of: text, json/],
    ];
    for (const [args, message] of cases) {
      const result = await fix(...args);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, message);
    }
    assert.deepEqual(snapshot(ws), original);
  });
});
