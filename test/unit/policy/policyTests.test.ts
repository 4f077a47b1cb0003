import * as assert from "node:assert/strict";
import * as path from "node:path";
import { nodePolicyHost } from "../../../server/src/engine/policy/host";
import type { PolicyOrigin } from "../../../server/src/engine/policy/model";
import { describeMismatch, parsePolicyTests, runPolicyTests, subjectOf, type PolicyTestResult, type PolicyTestSuite } from "../../../server/src/engine/policy/policyTests";
import { PolicySet } from "../../../server/src/engine/policy/policySet";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

/** Where the test file would be; parsing never reads it, so any absolute path will do. */
const testFile = "/work/repo/.selfheal/policy.test.yaml";

function parse(text: string): PolicyTestSuite {
  return parsePolicyTests(testFile, text);
}

/** Each problem as `line:col id: message` (1-based), the way the CLI prints it after the file name. */
function problemLines(text: string): string[] {
  return parse(text).problems.map((problem) => `${problem.range.start.line + 1}:${problem.range.start.character + 1} ${problem.id}: ${problem.message}`);
}

describe("policy tests: the .selfheal/policy.test.yaml loader", () => {
  it("reads shorthand and mapping expectations, file lists, lines and the date, with each case's position", () => {
    const suite = parse(
      [
        "date: 2025-06-01",
        "cases:",
        "  - name: billing is human-only",
        "    file: src/billing/pay.ts",
        "    rule: no-explicit-any",
        "    expect: deny",
        "  - { files: [a.ts, ./b.ts, 'c\\d.ts'], rule: prefer-const, lines: 300, expect: deny }",
        "  - { file: src/app.ts, rule: console-call, expect: { severity: off, offered: false } }",
        "  - { file: src/gen/x.generated.ts, expect: { inScope: false } }",
        "  - { file: src/app.ts, rule: complexity, expect: { options: { maxCyclomatic: 5 }, exception: false, reason: PCI, offered: true } }",
      ].join("\n"),
    );
    assert.deepEqual(suite.problems, []);
    assert.equal(suite.date, "2025-06-01");
    assert.equal(suite.root, "/work/repo");
    assert.deepEqual(
      suite.cases.map(({ name, files, rule, linesTouched, expect, line, character }) => ({ name, files, rule, linesTouched, expect, at: `${line + 1}:${character + 1}` })),
      [
        { name: "billing is human-only", files: ["src/billing/pay.ts"], rule: "no-explicit-any", linesTouched: 1, expect: { decision: "deny" }, at: "3:5" },
        // Unnamed cases get a name that finds them: the files, the rule and what is expected.
        { name: "a.ts, b.ts, c/d.ts prefer-const (300 lines) → deny", files: ["a.ts", "b.ts", "c/d.ts"], rule: "prefer-const", linesTouched: 300, expect: { decision: "deny" }, at: "7:5" },
        { name: "src/app.ts console-call → off, severity off", files: ["src/app.ts"], rule: "console-call", linesTouched: 1, expect: { severity: "off", decision: "off" }, at: "8:5" },
        { name: "src/gen/x.generated.ts → inScope false", files: ["src/gen/x.generated.ts"], rule: undefined, linesTouched: 1, expect: { inScope: false }, at: "9:5" },
        {
          name: 'src/app.ts complexity → options {"maxCyclomatic":5}, exception false, reason PCI, offered true',
          files: ["src/app.ts"],
          rule: "complexity",
          linesTouched: 1,
          expect: { options: { maxCyclomatic: 5 }, exception: false, reason: "PCI", offered: true },
          at: "10:5",
        },
      ],
    );
  });

  it("has no date unless the file gives one (exceptions are then judged as of today)", () => {
    const suite = parse("cases:\n  - { file: a.ts, rule: no-var, expect: auto }\n");
    assert.deepEqual(suite.problems, []);
    assert.equal("date" in suite, false);
  });

  describe("reports every mistake at its line and column, and runs no case", () => {
    const cases: Array<[string, string, string[]]> = [
      ["a YAML syntax error", "cases:\n  - { file: a.ts\n", ["3:1 policy-test-syntax: YAML syntax: Flow map in block collection must be sufficiently indented and end with a }"]],
      ["a duplicate key", "cases: []\ncases: []\n", ["2:1 policy-test-syntax: this key appears twice in the same mapping; keep one"]],
      ["an empty file", "", ["1:1 policy-test-invalid-value: the test file must be a mapping with 'cases:' (got nothing)"]],
      ["a list at the top", "- a\n", ["1:1 policy-test-invalid-value: the test file must be a mapping with 'cases:' (got a list)"]],
      ["no cases", "date: 2025-01-01\n", ["1:1 policy-test-invalid-value: the test file is missing the required key 'cases' (a list of cases)"]],
      ["an empty case list", "cases: []\n", ["1:8 policy-test-invalid-value: cases must be a non-empty list (got an empty list)"]],
      ["an unknown top-level key", "case:\n  - { file: a.ts, rule: no-var, expect: auto }\ncases:\n  - { file: a.ts, rule: no-var, expect: auto }\n", ["1:1 policy-test-unknown-key: unknown key 'case' at the top level; did you mean 'cases'?"]],
      ["a date that is not a day", "date: 2025-02-30\ncases:\n  - { file: a.ts, rule: no-var, expect: auto }\n", ["1:7 policy-test-invalid-value: date must be a day written YYYY-MM-DD (got '2025-02-30')"]],
      ["a case that is not a mapping", "cases:\n  - src/app.ts\n", ["2:5 policy-test-invalid-value: cases[0] must be a mapping with file, rule and expect (got 'src/app.ts')"]],
      ["a misspelt rule", "cases:\n  - { file: a.ts, rule: prefer-cosnt, expect: auto }\n", ["2:25 policy-test-unknown-rule: unknown rule 'prefer-cosnt' in cases[0].rule; did you mean 'prefer-const'?"]],
      ["a path that climbs out of the policy root", "cases:\n  - { file: ../outside.ts, rule: no-var, expect: auto }\n", ["2:13 policy-test-invalid-value: cases[0].file must be a path relative to the policy root, inside it (got '../outside.ts')"]],
      ["an absolute path", "cases:\n  - { files: [a.ts, /etc/passwd], rule: no-var, expect: auto }\n", ["2:21 policy-test-invalid-value: cases[0].files[1] must be a path relative to the policy root, inside it (got '/etc/passwd')"]],
      ["both file and files", "cases:\n  - { file: a.ts, files: [b.ts], rule: no-var, expect: auto }\n", ["2:26 policy-test-invalid-value: cases[0] has both 'file' and 'files'; keep one"]],
      ["no file", "cases:\n  - { rule: no-var, expect: auto }\n", ["2:5 policy-test-invalid-value: cases[0] is missing the required key 'file' (or 'files': a list), relative to the policy root"]],
      ["an empty file list", "cases:\n  - { files: [], rule: no-var, expect: auto }\n", ["2:14 policy-test-invalid-value: cases[0].files must be a non-empty list of paths (got an empty list)"]],
      ["no rule for a decision", "cases:\n  - { file: a.ts, expect: auto }\n", ["2:5 policy-test-invalid-value: cases[0] is missing the required key 'rule': only an expectation of inScope alone needs no rule"]],
      ["no expect", "cases:\n  - file: a.ts\n    rule: no-var\n", ["2:5 policy-test-invalid-value: cases[0] is missing the required key 'expect' (auto, review, deny, off, or a mapping)"]],
      [
        "an unknown decision",
        "cases:\n  - { file: a.ts, rule: no-var, expect: maybe }\n",
        ["2:41 policy-test-invalid-value: cases[0].expect must be one of auto, review, deny, off, or a mapping of decision, severity, options, exception, inScope, reason (got 'maybe')"],
      ],
      ["a misspelt case key", "cases:\n  - { file: a.ts, rule: no-var, expct: auto }\n", ["2:5 policy-test-invalid-value: cases[0] is missing the required key 'expect' (auto, review, deny, off, or a mapping)", "2:33 policy-test-unknown-key: unknown key 'expct' in cases[0]; did you mean 'expect'?"]],
      ["a misspelt expectation", "cases:\n  - file: a.ts\n    rule: no-var\n    expect:\n      severty: off\n", ["5:7 policy-test-unknown-key: unknown key 'severty' in cases[0].expect; did you mean 'severity'?"]],
      ["a bad severity", "cases:\n  - { file: a.ts, rule: no-var, expect: { severity: fatal } }\n", ["2:53 policy-test-invalid-value: cases[0].expect.severity must be one of error, warning, info, hint, off (got 'fatal')"]],
      ["a bad boolean", "cases:\n  - { file: a.ts, expect: { inScope: 'no' } }\n", ["2:38 policy-test-invalid-value: cases[0].expect.inScope must be true or false (got 'no')"]],
      ["an expectation of nothing", "cases:\n  - { file: a.ts, rule: no-var, expect: {} }\n", ["2:41 policy-test-invalid-value: cases[0].expect expects nothing: give at least one of decision, severity, options, exception, inScope, reason"]],
      ["offered: false against a decision", "cases:\n  - { file: a.ts, rule: no-var, expect: { decision: auto, offered: false } }\n", ["2:68 policy-test-invalid-value: cases[0].expect: offered: false contradicts decision: auto"]],
      ["negative lines", "cases:\n  - { file: a.ts, rule: no-var, lines: -1, expect: auto }\n", ["2:40 policy-test-invalid-value: cases[0].lines must be an integer ≥ 0: the lines the change adds plus those it removes (got -1)"]],
      ["an empty name", "cases:\n  - { name: '', file: a.ts, rule: no-var, expect: auto }\n", ["2:13 policy-test-invalid-value: cases[0].name must be a non-empty string (got '')"]],
      [
        "two cases with one name",
        "cases:\n  - { name: same, file: a.ts, rule: no-var, expect: auto }\n  - { name: same, file: b.ts, rule: no-var, expect: auto }\n",
        ["3:5 policy-test-invalid-value: two cases are named 'same': a failure must name exactly one case"],
      ],
    ];
    for (const [what, text, expected] of cases) {
      it(what, () => {
        assert.deepEqual(problemLines(text), expected);
        const suite = parse(text);
        for (const problem of suite.problems) assert.equal(problem.file, testFile);
      });
    }

    it("reports every mistake of a file in one pass, in line order", () => {
      const lines = problemLines("date: someday\ncases:\n  - { file: a.ts, rule: nope, expect: auto }\n  - { file: ../b.ts, rule: no-var, expect: maybe }\n");
      assert.deepEqual(
        lines.map((line) => line.slice(0, line.indexOf(":", line.indexOf(" ")))),
        ["1:7 policy-test-invalid-value", "3:25 policy-test-unknown-rule", "4:13 policy-test-invalid-value", "4:44 policy-test-invalid-value"],
      );
    });

    it("refuses an alias bomb without expanding it", () => {
      const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]", "cases: []"].join("\n");
      const suite = parse(bomb);
      assert.deepEqual(suite.problems.map((problem) => problem.id), ["policy-test-syntax"]);
      assert.match(suite.problems[0].message, /aliases more than 100 times/);
    });

    it("runs no case of a suite with problems: a half-read suite would pass on what it skipped", () => {
      const suite = parse("cases:\n  - { file: a.ts, rule: no-var, expect: auto }\n  - { file: a.ts, rule: nope, expect: auto }\n");
      assert.equal(suite.cases.length, 1);
      assert.deepEqual(runPolicyTests(suite, subjectOf(new PolicySet())), []);
    });
  });
});

describe("policy tests: the runner, against real policies", () => {
  afterEach(removeTempDirs);

  const policy = [
    "version: 1", // 1
    "extends: recommended", // 2
    'exclude: ["**/*.generated.ts"]', // 3
    "rules:", // 4
    "  console-call: off", // 5
    "  no-explicit-any: { severity: error, autofix: review }", // 6
    "  complexity: { options: { maxCyclomatic: 5 } }", // 7
    "protected:", // 8
    '  - { paths: ["src/billing/**"], autofix: deny, reason: "PCI scope: human changes only" }', // 9
    "exceptions:", // 10
    '  - { paths: ["src/legacy/**"], rule: no-explicit-any, reason: legacy, owner: "@platform", expires: 2025-06-30 }', // 11
    "limits: { maxFilesPerChange: 2, maxLinesPerChange: 100 }", // 12
  ].join("\n");

  /** A workspace with the policy, loaded as the CLI loads it, living on `day`. */
  function workspace(day = "2025-06-01"): { root: string; policies: PolicySet } {
    const root = makeTempDir().replace(/\\/g, "/");
    writeFiles(root, { ".selfheal/policy.yaml": policy });
    const policies = new PolicySet({ ...nodePolicyHost, now: () => new Date(`${day}T12:00:00Z`) });
    policies.load([root], [`${root}/.selfheal/policy.yaml`]);
    assert.deepEqual(policies.problemsOf(`${root}/.selfheal/policy.yaml`).filter((problem) => problem.severity === "error"), []);
    return { root, policies };
  }

  function run(root: string, policies: PolicySet, cases: string[]): PolicyTestResult[] {
    const suite = parsePolicyTests(`${root}/.selfheal/policy.test.yaml`, `cases:\n${cases.map((item) => `  - ${item}`).join("\n")}\n`);
    assert.deepEqual(suite.problems, []);
    return runPolicyTests(suite, subjectOf(policies));
  }

  const display = (root: string) => (origin: PolicyOrigin) => `${path.posix.relative(root, origin.file).replace(/^.*policies\//, "bundled ")}:${origin.line + 1}`;

  it("passes every case the policy satisfies, one expectation kind each", () => {
    const { root, policies } = workspace();
    const results = run(root, policies, [
      "{ file: src/app.ts, rule: prefer-const, expect: auto }",
      "{ file: src/app.ts, rule: no-explicit-any, expect: review }",
      "{ file: src/billing/pay.ts, rule: prefer-const, expect: { decision: deny, reason: PCI } }",
      "{ files: [a.ts, b.ts, c.ts], rule: prefer-const, expect: deny }",
      "{ file: src/app.ts, rule: prefer-const, lines: 101, expect: deny }",
      "{ file: src/app.ts, rule: prefer-const, lines: 100, expect: auto }",
      "{ file: src/app.ts, rule: console-call, expect: { severity: off } }",
      "{ file: src/app.ts, rule: no-explicit-any, expect: { severity: error } }",
      "{ file: src/app.ts, rule: complexity, expect: { options: { maxCyclomatic: 5 } } }",
      "{ file: src/x.generated.ts, expect: { inScope: false } }",
      "{ file: src/x.ts, expect: { inScope: true } }",
      "{ file: src/legacy/old.ts, rule: no-explicit-any, expect: { exception: true } }",
      "{ file: src/app.ts, rule: no-explicit-any, expect: { exception: false } }",
      "{ file: src/app.ts, rule: prefer-const, expect: { offered: true } }",
    ]);
    assert.deepEqual(
      results.filter((result) => !result.passed).map((result) => `${result.testCase.name}: ${result.mismatches.map((mismatch) => mismatch.message).join("; ")}`),
      [],
    );
    assert.equal(results.length, 14);
  });

  it("says what was expected, what the policy decided, and every reason with its line", () => {
    const { root, policies } = workspace();
    const [billing, limits, ok] = run(root, policies, [
      "{ name: billing may be reviewed, file: src/billing/pay.ts, rule: prefer-const, expect: review }",
      "{ name: big changes are fine, files: [a.ts, b.ts, c.ts], rule: prefer-const, lines: 500, expect: auto }",
      "{ name: any is reviewed, file: src/app.ts, rule: no-explicit-any, expect: review }",
    ]);
    assert.equal(billing.passed, false);
    assert.equal(billing.decision?.outcome, "deny");
    assert.deepEqual(
      billing.mismatches.map((mismatch) => describeMismatch(mismatch, display(root))),
      ['expected review, got deny (reasons: src/billing/pay.ts is protected by "src/billing/**": PCI scope: human changes only (.selfheal/policy.yaml:9); prefer-const fixes may apply without review (rules.prefer-const.autofix) (bundled recommended.yaml:11))'],
    );
    assert.deepEqual(
      limits.mismatches.map((mismatch) => describeMismatch(mismatch, display(root))),
      [
        "expected auto, got deny (reasons: the change touches 3 files; limits.maxFilesPerChange is 2 (.selfheal/policy.yaml:12); the change touches 500 lines; limits.maxLinesPerChange is 100 (.selfheal/policy.yaml:12); prefer-const fixes may apply without review (rules.prefer-const.autofix) (bundled recommended.yaml:11))",
      ],
    );
    assert.equal(ok.passed, true);
    assert.deepEqual(ok.mismatches, []);
  });

  it("names the line behind a severity, an option or a scope it did not expect", () => {
    const { root, policies } = workspace();
    const results = run(root, policies, [
      "{ file: src/app.ts, rule: no-explicit-any, expect: { severity: warning } }",
      "{ file: src/app.ts, rule: prefer-const, expect: { severity: off } }",
      "{ file: src/app.ts, rule: complexity, expect: { options: { maxCyclomatic: 10, maxNesting: 3 } } }",
      "{ file: src/x.generated.ts, expect: { inScope: true } }",
      "{ files: [src/a.ts, src/b.generated.ts], expect: { inScope: false } }",
    ]);
    assert.deepEqual(
      results.map((result) => result.mismatches.map((mismatch) => describeMismatch(mismatch, display(root)))),
      [
        ["expected severity warning, got error (reasons: rules.no-explicit-any.severity (.selfheal/policy.yaml:6))"],
        ["expected severity off, got warning (reasons: the rule's default)"],
        ['expected option maxCyclomatic 10, got 5 (reasons: rules.complexity.options (.selfheal/policy.yaml:7))', "expected option maxNesting 3, got unset (reasons: rules.complexity.options (.selfheal/policy.yaml:7))"],
        ["expected in scope, got out of scope (reasons: exclude[0] (.selfheal/policy.yaml:3))"],
        ["expected out of scope, got in scope for src/a.ts (reasons: no include list, and no exclude glob matches)"],
      ],
    );
  });

  it("judges exceptions as of the suite's date: one past its expiry no longer holds", () => {
    const before = workspace("2025-06-30");
    const after = workspace("2025-07-01");
    const cases = ["{ name: legacy any is accepted, file: src/legacy/old.ts, rule: no-explicit-any, expect: { exception: true } }", "{ name: no exception in app, file: src/app.ts, rule: no-explicit-any, expect: { exception: false } }"];
    assert.deepEqual(run(before.root, before.policies, cases).map((result) => result.passed), [true, true]);
    const [expired] = run(after.root, after.policies, cases);
    assert.deepEqual(expired.mismatches, [{ message: "expected an active exception, got none", evidence: [] }]);
    const [, unexpected] = run(before.root, before.policies, ["{ file: src/legacy/old.ts, rule: no-explicit-any, expect: { exception: true } }", "{ file: src/legacy/old.ts, rule: no-explicit-any, expect: { exception: false } }"]);
    assert.deepEqual(unexpected.mismatches.map((mismatch) => describeMismatch(mismatch, display(before.root))), ["expected no active exception, got one (reasons: legacy (owner: @platform, until 2025-06-30) (.selfheal/policy.yaml:11))"]);
  });

  it("tells a fix that is not offered at all (off) from one that is denied", () => {
    const { root, policies } = workspace();
    const [asDeny, asOff, offered, reason] = run(root, policies, [
      "{ file: src/app.ts, rule: console-call, expect: deny }",
      "{ file: src/app.ts, rule: console-call, expect: off }",
      "{ file: src/app.ts, rule: console-call, expect: { offered: true } }",
      "{ file: src/app.ts, rule: no-explicit-any, expect: { reason: PCI } }",
    ]);
    // `console-call: off` is a severity; the fix itself is still offered (reviewed, from the bundled policy).
    assert.equal(asDeny.mismatches[0].message, "expected deny, got review");
    assert.equal(asOff.mismatches[0].message, "expected off, got review");
    assert.equal(offered.passed, true);
    assert.deepEqual(reason.mismatches.map((mismatch) => describeMismatch(mismatch, display(root))), ["expected the deciding reason to mention 'PCI' (reasons: no-explicit-any fixes need review (rules.no-explicit-any.autofix) (.selfheal/policy.yaml:6))"]);
  });

  it("reports `off` when the policy turns a rule's fixes off, and a broken policy denies every case (fails closed)", () => {
    const root = makeTempDir().replace(/\\/g, "/");
    writeFiles(root, { ".selfheal/policy.yaml": "version: 1\nrules:\n  prefer-const: { autofix: off }\n", "pkg/.selfheal/policy.yaml": "version: 1\nincude: []\n" });
    const policies = new PolicySet();
    policies.load([root], [`${root}/.selfheal/policy.yaml`, `${root}/pkg/.selfheal/policy.yaml`]);
    const [off, broken] = run(root, policies, ["{ file: src/app.ts, rule: prefer-const, expect: off }", "{ file: pkg/src/app.ts, rule: no-var, expect: review }"]);
    assert.equal(off.passed, true);
    assert.equal(broken.passed, false);
    assert.match(broken.mismatches[0].message, /^expected review, got deny$/);
    assert.match(broken.mismatches[0].evidence[0].message, /^the policy pkg\/\.selfheal\/policy\.yaml:2 is broken \(unknown key 'incude'/);
  });
});
