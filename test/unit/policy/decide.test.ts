import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { ProposedChange } from "../../../server/src/engine/policy/model";
import { at, compile, describeProblem, lineOf, lines, load, policyFile, workspace } from "./helpers";

const policyText = lines(
  "version: 1",
  'include: ["src/**/*.ts", "lib"]',
  'exclude: ["**/*.generated.ts"]',
  "rules:",
  "  prefer-const: { autofix: auto }",
  '  floating-promise: { autofix: auto, paths: ["src/jobs/**"] }',
  "  console-call: { autofix: off }",
  "  no-var: { autofix: deny }",
  "protected:",
  '  - { paths: ["src/billing/**"], autofix: deny, reason: "PCI scope: human changes only", owner: "@payments" }',
  '  - { paths: ["src/auth"], autofix: review, reason: "security review" }',
  "limits: { maxFilesPerChange: 5, maxLinesPerChange: 200 }",
);

const change = (ruleId: string, files: string[], linesTouched = 3): ProposedChange => ({ ruleId, files: files.map(at), linesTouched });
/** The origin of `token` on the first line containing `needle`: positions come from the text, not from counting by hand. */
const origin = (needle: string, token: string, key: string) => {
  const line = lineOf(policyText, needle);
  return { file: policyFile, line, character: policyText.split("\n")[line].indexOf(token), key };
};

describe("policy decisions", () => {
  const policy = compile(policyText);

  it("a rule set to auto, in scope, unprotected, within limits: auto, naming the line", () => {
    assert.deepEqual(policy.decide(change("prefer-const", ["src/a.ts"])), {
      outcome: "auto",
      offered: true,
      reasons: [{ outcome: "auto", message: "prefer-const fixes may apply without review (rules.prefer-const.autofix)", origin: origin("prefer-const", "autofix", "rules.prefer-const.autofix") }],
    });
  });

  it("no line sets autofix: the default is review, without an origin", () => {
    assert.deepEqual(policy.decide(change("unused-import", ["src/a.ts"])), {
      outcome: "review",
      offered: true,
      reasons: [{ outcome: "review", message: "no policy line sets autofix for unused-import: the default is review" }],
    });
  });

  it("a protected path with autofix deny denies, with the reason and owner", () => {
    const decision = policy.decide(change("prefer-const", ["src/billing/pay.ts"]));
    assert.equal(decision.outcome, "deny");
    assert.deepEqual(decision.reasons[0], {
      outcome: "deny",
      message: 'src/billing/pay.ts is protected by "src/billing/**": PCI scope: human changes only (owner: @payments)',
      origin: origin("src/billing/**", "{", "protected[0]"),
    });
    assert.equal(decision.reasons[1].outcome, "auto", "the rule's own reason is still listed");
  });

  it("a protected path with autofix review holds an auto fix for review; a folder glob covers what is inside", () => {
    const decision = policy.decide(change("prefer-const", ["src/auth/session/token.ts"]));
    assert.equal(decision.outcome, "review");
    assert.deepEqual(decision.reasons[0], { outcome: "review", message: 'src/auth/session/token.ts is protected by "src/auth": security review', origin: origin("src/auth", "{", "protected[1]") });
  });

  it("deny wins over review, and every reason is listed, most restrictive first", () => {
    const decision = policy.decide(change("prefer-const", ["src/auth/a.ts", "src/billing/b.ts", "src/c.ts"]));
    assert.equal(decision.outcome, "deny");
    assert.deepEqual(
      decision.reasons.map((reason) => [reason.outcome, reason.origin?.key]),
      [
        ["deny", "protected[0]"],
        ["review", "protected[1]"],
        ["auto", "rules.prefer-const.autofix"],
      ],
    );
  });

  it("several protected files are named in one reason", () => {
    const decision = policy.decide(change("prefer-const", ["src/billing/a.ts", "src/billing/b.ts", "src/billing/c.ts", "src/billing/d.ts"]));
    assert.equal(decision.reasons[0].message, 'src/billing/a.ts, src/billing/b.ts, src/billing/c.ts and 1 more files are protected by "src/billing/**": PCI scope: human changes only (owner: @payments)');
  });

  it("a rule entry's paths: inside them its autofix applies, outside the rule is off and its fix is not offered", () => {
    const inside = policy.decide(change("floating-promise", ["src/jobs/run.ts"]));
    assert.equal(inside.outcome, "auto");
    assert.equal(inside.offered, true);
    const outside = policy.decide(change("floating-promise", ["src/api/run.ts"]));
    assert.equal(outside.offered, false);
    assert.equal(outside.outcome, "deny");
    assert.deepEqual(outside.reasons, [
      {
        outcome: "deny",
        message: "floating-promise does not apply to src/api/run.ts: rules.floating-promise.paths does not match it, so its fixes are not offered there",
        origin: origin("floating-promise", "paths", "rules.floating-promise.paths"),
      },
    ]);
    assert.equal(policy.ruleConfig(at("src/api/run.ts"), "floating-promise", { severity: "error", options: {} }).severity, "off");
    assert.equal(policy.ruleConfig(at("src/jobs/run.ts"), "floating-promise", { severity: "error", options: {} }).severity, "error");
  });

  it("autofix off: not offered (and deny, should anyone ask anyway)", () => {
    const decision = policy.decide(change("console-call", ["src/a.ts"]));
    assert.deepEqual(decision, {
      outcome: "deny",
      offered: false,
      reasons: [{ outcome: "deny", message: "console-call fixes are off (rules.console-call.autofix): they are not offered", origin: origin("console-call", "autofix", "rules.console-call.autofix") }],
    });
  });

  it("autofix deny: offered (listed, disabled) but denied", () => {
    const decision = policy.decide(change("no-var", ["src/a.ts"]));
    assert.equal(decision.outcome, "deny");
    assert.equal(decision.offered, true);
    assert.equal(decision.reasons[0].message, "no-var fixes are denied (rules.no-var.autofix)");
  });

  it("an excluded file is out of scope: deny, naming the exclude glob", () => {
    const decision = policy.decide(change("prefer-const", ["src/api.generated.ts"]));
    assert.equal(decision.outcome, "deny");
    assert.deepEqual(decision.reasons[0], {
      outcome: "deny",
      message: 'src/api.generated.ts is excluded from the policy\'s scope by "**/*.generated.ts": automation may not change it',
      origin: origin("exclude", "\"**/*.generated.ts\"", "exclude[0]"),
    });
  });

  it("a file no include glob matches is out of scope: deny, naming the include key", () => {
    const decision = policy.decide(change("prefer-const", ["scripts/build.ts"]));
    assert.deepEqual(decision.reasons[0], {
      outcome: "deny",
      message: 'scripts/build.ts is outside the policy\'s scope: no include glob ("src/**/*.ts", "lib") matches it, so automation may not change it',
      origin: origin("include", "include", "include"),
    });
  });

  it("a file outside the policy's folder is denied", () => {
    const decision = policy.decide({ ruleId: "prefer-const", files: [path.resolve("/elsewhere/a.ts")], linesTouched: 1 });
    assert.equal(decision.outcome, "deny");
    assert.equal(decision.reasons[0].message, `${path.resolve("/elsewhere/a.ts")} is outside this policy's folder: the policy does not let automation change it`);
  });

  it("limits: more files or lines than allowed deny, each with its line", () => {
    const files = ["a", "b", "c", "d", "e", "f", "g"].map((name) => `src/${name}.ts`);
    const decision = policy.decide(change("prefer-const", files, 250));
    assert.equal(decision.outcome, "deny");
    assert.deepEqual(
      decision.reasons.filter((reason) => reason.outcome === "deny"),
      [
        { outcome: "deny", message: "the change touches 7 files; limits.maxFilesPerChange is 5", origin: origin("limits", "maxFilesPerChange", "limits.maxFilesPerChange") },
        { outcome: "deny", message: "the change touches 250 lines; limits.maxLinesPerChange is 200", origin: origin("limits", "maxLinesPerChange", "limits.maxLinesPerChange") },
      ],
    );
    assert.equal(policy.decide(change("prefer-const", files.slice(0, 5), 200)).outcome, "auto", "exactly at the limits is allowed");
  });

  it("a change with no files is decided by the rule alone", () => {
    assert.equal(policy.decide(change("prefer-const", [])).outcome, "auto");
  });
});

describe("policy scope and rule settings", () => {
  const policy = compile(policyText);

  it("scope names the deciding include or exclude line", () => {
    assert.deepEqual(policy.scope(at("src/a.ts")), { inScope: true, origin: origin("include", "\"src/**/*.ts\"", "include[0]") });
    assert.deepEqual(policy.scope(at("lib/deep/x.js")), { inScope: true, origin: origin("include", "\"lib\"", "include[1]") });
    assert.deepEqual(policy.scope(at("src/x.generated.ts")), { inScope: false, origin: origin("exclude", "\"**/*.generated.ts\"", "exclude[0]") });
    assert.deepEqual(policy.scope(at("README.md")), { inScope: false, origin: origin("include", "include", "include") });
  });

  it("without include everything under the root is in scope, dot folders too", () => {
    const open = compile("version: 1\n");
    assert.deepEqual(open.scope(at(".github/x.ts")), { inScope: true });
    assert.equal(open.scope(path.resolve("/other/x.ts")).inScope, false);
  });

  it("./-prefixed globs and trailing slashes mean the same as without", () => {
    const dotted = compile('version: 1\nprotected: [{ paths: ["./src/billing/"], reason: r }]\n');
    assert.equal(dotted.decide(change("prefer-const", ["src/billing/x/y.ts"])).outcome, "deny");
  });

  it("ruleConfig: the policy wins, the fallback fills the rest, options merge key by key", () => {
    const configured = compile(lines("version: 1", "rules:", "  complexity: { severity: error, options: { maxNesting: 2 } }"));
    const config = configured.ruleConfig(at("src/a.ts"), "complexity", { severity: "warning", options: { maxCyclomatic: 12, maxNesting: 4 } });
    assert.equal(config.severity, "error");
    assert.deepEqual(config.options, { maxCyclomatic: 12, maxNesting: 2 });
    assert.equal(config.severityOrigin?.key, "rules.complexity.severity");
    assert.equal(config.optionsOrigin?.key, "rules.complexity.options");
    assert.equal(config.autofix, "review");
    assert.equal(config.autofixOrigin, undefined);
    const untouched = configured.ruleConfig(at("src/a.ts"), "no-var", { severity: "hint", options: {} });
    assert.deepEqual(untouched, { severity: "hint", options: {}, autofix: "review" });
  });

  it("the shorthand sets the severity with the rule key as origin", () => {
    const config = compile("version: 1\nrules:\n  no-var: off\n").ruleConfig(at("a.ts"), "no-var", { severity: "warning", options: {} });
    assert.equal(config.severity, "off");
    assert.deepEqual(config.severityOrigin, { file: policyFile, line: 2, character: 2, key: "rules.no-var" });
  });

  it("verify and ledger defaults", () => {
    const plain = compile("version: 1\n");
    assert.deepEqual(plain.verify, { typecheck: true, timeoutSeconds: 120 });
    assert.deepEqual(plain.ledgerPath, { path: path.join(workspace, ".selfheal", "ledger.jsonl") });
    assert.deepEqual(plain.limits, {});
  });

  it("contracts and layers resolve to absolute paths; layerOf finds a file's layer", () => {
    const declared = compile(
      lines(
        "version: 1",
        "contracts:",
        '  - { name: user-schema, schema: schemas/user.schema.json, mirrors: [{ type: "src/user.ts#User", schema: schemas/user.schema.json }] }',
        "architecture:",
        "  layers:",
        '    - { name: domain, paths: ["src/domain/**"] }',
        '    - { name: infra, paths: ["src/infra/**"], mayImport: [domain] }',
      ),
    );
    const [contract] = declared.contracts;
    assert.equal(contract.schema, at("schemas/user.schema.json"));
    assert.equal(contract.entry, undefined);
    assert.equal(contract.breaking, "error");
    assert.equal(contract.baseline, at(".selfheal/contracts/user-schema.json"));
    assert.deepEqual([contract.mirrors[0].file, contract.mirrors[0].typeName, contract.mirrors[0].schema], [at("src/user.ts"), "User", at("schemas/user.schema.json")]);
    assert.equal(declared.layerOf(at("src/infra/db.ts"))?.name, "infra");
    assert.deepEqual(declared.layerOf(at("src/domain/user.ts"))?.mayImport, []);
    assert.equal(declared.layerOf(at("src/ui/x.ts")), undefined);
  });
});

describe("policy exceptions", () => {
  const exceptionText = lines(
    "version: 1",
    "exceptions:",
    '  - { paths: ["src/legacy/**"], rule: no-explicit-any, reason: "migration ticket #42", owner: "@alice", expires: 2027-03-31 }',
  );

  it("covers the rule in its paths through the expiry day (UTC), and nothing else", () => {
    const policy = compile(exceptionText);
    const exception = policy.exceptionFor(at("src/legacy/a.ts"), "no-explicit-any", new Date("2027-03-31T23:59:59Z"));
    assert.equal(exception?.reason, "migration ticket #42");
    assert.equal(exception?.origin.line, 2);
    assert.equal(policy.exceptionFor(at("src/legacy/a.ts"), "no-explicit-any", new Date("2027-04-01T00:00:00Z")), undefined);
    assert.equal(policy.exceptionFor(at("src/legacy/a.ts"), "no-var", new Date("2027-01-01T00:00:00Z")), undefined);
    assert.equal(policy.exceptionFor(at("src/new/a.ts"), "no-explicit-any", new Date("2027-01-01T00:00:00Z")), undefined);
  });

  it("an exception past its date is a warning at the date (host.now), and the policy still loads", () => {
    const loaded = load(exceptionText, {}, new Date("2027-04-01T08:00:00Z"));
    assert.ok(loaded.policy, "a warning does not break the policy");
    assert.deepEqual(loaded.problems.map(describeProblem), [
      "policy-exception-expired 3:114-3:124 the exception for no-explicit-any in src/legacy/** expired on 2027-03-31 (migration ticket #42; owner @alice): its findings are reported again",
    ]);
    assert.equal(loaded.problems[0].severity, "warning");
    assert.deepEqual(load(exceptionText, {}, new Date("2027-03-31T23:00:00Z")).problems, [], "not on its last day");
  });
});
