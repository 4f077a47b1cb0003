import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { PolicyHost } from "../../../server/src/engine/policy/host";
import { PolicySet } from "../../../server/src/engine/policy/policySet";
import { at, lines, workspace } from "./helpers";

/** A host whose files can change between calls, as a saved policy does. */
function mutableHost(files: Record<string, string>): PolicyHost & { files: Map<string, string> } {
  const map = new Map(Object.entries(files).map(([file, text]) => [at(file), text]));
  return {
    files: map,
    readFile: (file) => map.get(file),
    realpath: (file) => file,
    now: () => new Date("2026-06-15T12:00:00Z"),
  };
}

const rootPolicy = lines(
  "version: 1",
  "rules:",
  "  prefer-const: { autofix: auto }",
  "protected:",
  '  - { paths: ["src/billing/**"], reason: "PCI scope", owner: "@payments" }',
);
const packagePolicy = lines("version: 1", "rules:", "  prefer-const: { severity: error, autofix: review }");
const fallback = { severity: "warning" as const, options: {} };

function policySet(host: PolicyHost, files: string[]): PolicySet {
  const policies = new PolicySet(host);
  policies.load([workspace], files.map(at));
  return policies;
}

describe("PolicySet", () => {
  it("lets the nearest policy above a file govern it, and the bundled one where there is none", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": rootPolicy, "packages/api/.selfheal/policy.yaml": packagePolicy });
    const policies = policySet(host, [".selfheal/policy.yaml", "packages/api/.selfheal/policy.yaml"]);
    assert.equal(policies.governing(at("packages/api/src/a.ts")).policyFile, at("packages/api/.selfheal/policy.yaml"));
    assert.equal(policies.governing(at("src/a.ts")).policyFile, at(".selfheal/policy.yaml"));
    assert.equal(policies.ruleConfig(at("packages/api/src/a.ts"), "prefer-const", fallback).severity, "error");
    assert.equal(policies.ruleConfig(at("src/a.ts"), "prefer-const", fallback).severity, "warning");
    assert.equal(policySet(mutableHost({}), []).governing(at("src/a.ts")).policyFile, undefined);
  });

  it("decides over every policy a change reaches: the most restrictive outcome, every reason", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": rootPolicy, "packages/api/.selfheal/policy.yaml": packagePolicy });
    const policies = policySet(host, [".selfheal/policy.yaml", "packages/api/.selfheal/policy.yaml"]);
    assert.equal(policies.decide({ ruleId: "prefer-const", files: [at("src/a.ts")], linesTouched: 1 }).outcome, "auto");
    const both = policies.decide({ ruleId: "prefer-const", files: [at("src/a.ts"), at("packages/api/src/b.ts")], linesTouched: 2 });
    assert.equal(both.outcome, "review");
    assert.ok(both.reasons.some((reason) => reason.outcome === "auto"), "the auto reason of the root policy is listed too");
    const billing = policies.decide({ ruleId: "prefer-const", files: [at("src/billing/pay.ts")], linesTouched: 1 });
    assert.equal(billing.outcome, "deny");
    assert.match(billing.reasons[0].message, /PCI scope/);
  });

  it("keeps analysing with the last good policy when a saved one breaks, and denies every change naming the broken line", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": rootPolicy });
    const policies = policySet(host, [".selfheal/policy.yaml"]);
    host.files.set(at(".selfheal/policy.yaml"), lines("version: 1", "rules:", "  prefer-const: { autofix: sometimes }"));
    policies.reload(at(".selfheal/policy.yaml"));
    const governing = policies.governing(at("src/a.ts"));
    assert.equal(governing.broken?.range.start.line, 2);
    assert.equal(governing.policy.decide({ ruleId: "prefer-const", files: [at("src/a.ts")], linesTouched: 1 }).outcome, "auto", "the last good policy still governs analysis");
    const decision = policies.decide({ ruleId: "prefer-const", files: [at("src/a.ts")], linesTouched: 1 });
    assert.equal(decision.outcome, "deny");
    assert.match(decision.reasons[0].message, /^the policy \.selfheal\/policy\.yaml:3 is broken \(.*autofix.*\): no automated change is allowed until it is fixed$/);
    assert.deepEqual(policies.brokenPolicies().map((broken) => path.relative(workspace, broken.file)), [".selfheal/policy.yaml"]);
  });

  it("falls back to the policy above (or the bundled one) when a policy file is deleted", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": rootPolicy, "packages/api/.selfheal/policy.yaml": packagePolicy });
    const policies = policySet(host, [".selfheal/policy.yaml", "packages/api/.selfheal/policy.yaml"]);
    host.files.delete(at("packages/api/.selfheal/policy.yaml"));
    policies.reload(at("packages/api/.selfheal/policy.yaml"));
    assert.equal(policies.governing(at("packages/api/src/a.ts")).policyFile, at(".selfheal/policy.yaml"));
    assert.deepEqual(policies.policyFiles(), [at(".selfheal/policy.yaml")]);
  });

  it("picks up a policy file created after loading", () => {
    const host = mutableHost({});
    const policies = policySet(host, []);
    host.files.set(at(".selfheal/policy.yaml"), rootPolicy);
    policies.reload(at(".selfheal/policy.yaml"));
    assert.equal(policies.governing(at("src/a.ts")).policyFile, at(".selfheal/policy.yaml"));
  });

  it("validates an unsaved buffer for diagnostics without letting it govern", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": rootPolicy });
    const policies = policySet(host, [".selfheal/policy.yaml"]);
    policies.setBuffer(at(".selfheal/policy.yaml"), lines("version: 1", "protectd: []"));
    assert.deepEqual(policies.problemsOf(at(".selfheal/policy.yaml")).map((problem) => problem.id), ["policy-unknown-key"]);
    assert.equal(policies.governing(at("src/a.ts")).broken, undefined, "the saved file still governs");
    policies.setBuffer(at(".selfheal/policy.yaml"), undefined);
    assert.deepEqual(policies.problemsOf(at(".selfheal/policy.yaml")), []);
  });

  it("runs verify.command only in a trusted workspace", () => {
    const host = mutableHost({ ".selfheal/policy.yaml": lines("version: 1", 'verify: { command: "npm test" }') });
    const policies = policySet(host, [".selfheal/policy.yaml"]);
    assert.deepEqual(
      { willRun: policies.verifyCommand(at("src/a.ts")).willRun, reason: policies.verifyCommand(at("src/a.ts")).reason },
      { willRun: false, reason: "this workspace is not trusted" },
    );
    policies.trusted = true;
    assert.equal(policies.verifyCommand(at("src/a.ts")).willRun, true);
    assert.equal(policies.verifyCommand(at("src/a.ts")).command?.text, "npm test");
  });
});
