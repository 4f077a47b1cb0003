import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodePolicyHost } from "../../../server/src/engine/policy/host";
import { bundledPoliciesFolder, bundledPolicy, loadPolicy, maxExtendsDepth } from "../../../server/src/engine/policy/load";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";
import { assertProblem, at, compile, describeProblem, lineOf, lines, load, memoryHost, onlyProblem, policyFile, workspace } from "./helpers";

const recommendedFile = () => path.join(bundledPoliciesFolder(), "recommended.yaml");
const strictFile = () => path.join(bundledPoliciesFolder(), "strict.yaml");
const bundledText = (file: string) => fs.readFileSync(file, "utf8");

describe("policy extends: bundled policies", () => {
  it("extends: recommended inherits its autofix lines, with the bundled file's line as origin", () => {
    const policy = compile("version: 1\nextends: recommended\n");
    assert.deepEqual(policy.chain, [policyFile, recommendedFile()]);
    const decision = policy.decide({ ruleId: "prefer-const", files: [at("src/a.ts")], linesTouched: 2 });
    assert.equal(decision.outcome, "auto");
    assert.deepEqual(decision.reasons[0].origin, { file: recommendedFile(), line: lineOf(bundledText(recommendedFile()), "prefer-const:"), character: 18, key: "rules.prefer-const.autofix" });
    assert.equal(policy.limits.maxFilesPerChange?.value, 20);
    assert.equal(policy.limits.maxLinesPerChange?.value, 500);
  });

  it("recommended leaves severities to the rules' defaults (and the user's settings)", () => {
    const policy = compile("version: 1\nextends: recommended\n");
    const config = policy.ruleConfig(at("src/a.ts"), "no-explicit-any", { severity: "hint", options: {} });
    assert.equal(config.severity, "hint");
    assert.equal(config.severityOrigin, undefined);
    assert.equal(config.autofix, "review");
  });

  it("extends: strict makes four rules errors, every fix reviewed, and limits 5/200", () => {
    const policy = compile("version: 1\nextends: strict\n");
    assert.deepEqual(policy.chain, [policyFile, strictFile(), recommendedFile()]);
    for (const ruleId of ["floating-promise", "no-explicit-any", "ts-ignore", "import-cycle"]) {
      const config = policy.ruleConfig(at("src/a.ts"), ruleId, { severity: "warning", options: {} });
      assert.equal(config.severity, "error", ruleId);
      assert.equal(config.severityOrigin?.file, strictFile());
    }
    for (const ruleId of ["prefer-const", "no-var", "loose-equality", "ts-ignore", "unused-import"]) {
      assert.equal(policy.decide({ ruleId, files: [at("src/a.ts")], linesTouched: 1 }).outcome, "review", ruleId);
    }
    assert.deepEqual(policy.limits.maxFilesPerChange, { value: 5, origin: { file: strictFile(), line: lineOf(bundledText(strictFile()), "limits:"), character: 10, key: "limits.maxFilesPerChange" } });
    assert.equal(policy.limits.maxLinesPerChange?.value, 200);
  });

  it("a child entry merges field by field over the bundled one", () => {
    const policy = compile(lines("version: 1", "extends: strict", "rules:", "  floating-promise: warning", "  prefer-const: { autofix: auto }"));
    const floating = policy.ruleConfig(at("a.ts"), "floating-promise", { severity: "info", options: {} });
    assert.equal(floating.severity, "warning");
    assert.equal(floating.severityOrigin?.file, policyFile);
    assert.equal(floating.autofix, "review");
    assert.equal(floating.autofixOrigin?.file, strictFile(), "the autofix field is still strict's");
    assert.equal(policy.decide({ ruleId: "prefer-const", files: [at("a.ts")], linesTouched: 1 }).outcome, "auto");
  });

  it("bundled globs are relative to the extending policy's root", () => {
    const nested = path.join(workspace, "packages", "app", ".selfheal", "policy.yaml");
    const loaded = loadPolicy(nested, workspace, memoryHost(), "version: 1\nextends: strict\n");
    assert.ok(loaded.policy);
    assert.equal(loaded.policy.root, path.join(workspace, "packages", "app"));
    assert.equal(loaded.policy.ledgerPath.path, path.join(workspace, "packages", "app", ".selfheal", "ledger.jsonl"));
  });

  it("bundledPolicy applies where no policy file exists, as if the root's file extended it", () => {
    const policy = bundledPolicy("recommended", workspace, memoryHost());
    assert.equal(policy.file, policyFile);
    assert.deepEqual(policy.chain, [recommendedFile()]);
    assert.equal(policy.decide({ ruleId: "unused-import", files: [at("src/a.ts")], linesTouched: 1 }).outcome, "auto");
    assert.equal(policy.decide({ ruleId: "floating-promise", files: [at("src/a.ts")], linesTouched: 1 }).outcome, "review");
    assert.equal(bundledPolicy("strict", workspace, memoryHost()).decide({ ruleId: "unused-import", files: [at("src/a.ts")], linesTouched: 1 }).outcome, "review");
  });

  it("an unknown bundled name suggests the right one", () => {
    assertProblem(
      onlyProblem(load("version: 1\nextends: recomended\n"), "policy-extends"),
      2,
      10,
      "extends 'recomended': no bundled policy has that name; did you mean 'recommended'? (bundled: recommended, strict; a file path starts with ./ or ../)",
      20,
    );
  });
});

describe("policy extends: files", () => {
  it("merges a relative base: rules field by field, include/limits per key, lists concatenated", () => {
    const base = lines(
      "version: 1",
      'include: ["src/**"]',
      'exclude: ["**/*.gen.ts"]',
      "rules:",
      '  complexity: { severity: error, autofix: deny, options: { maxCyclomatic: 20, maxNesting: 6 } }',
      'protected: [{ paths: ["src/billing/**"], reason: PCI }]',
      'exceptions: [{ paths: ["src/old/**"], rule: no-var, reason: r, owner: o, expires: 2030-01-01 }]',
      "limits: { maxFilesPerChange: 3, maxLinesPerChange: 50 }",
      'verify: { command: "npm test", timeoutSeconds: 60 }',
      "contracts: [{ name: api, entry: src/index.ts }]",
    );
    const child = lines(
      "version: 1",
      "extends: ./.selfheal/base.yaml",
      'include: ["lib/**"]',
      "rules:",
      "  complexity: { options: { maxNesting: 2 } }",
      'protected: [{ paths: ["lib/secret/**"], autofix: review, reason: secrets }]',
      "limits: { maxLinesPerChange: 80 }",
      "verify: { typecheck: false }",
      "contracts: [{ name: schema, schema: s.json }]",
    );
    const policy = compile(child, { ".selfheal/base.yaml": base });
    assert.deepEqual(policy.chain, [policyFile, at(".selfheal/base.yaml")]);
    assert.equal(policy.scope(at("src/a.ts")).inScope, false, "include is the child's");
    assert.equal(policy.scope(at("lib/a.ts")).inScope, true);
    assert.equal(policy.scope(at("lib/a.gen.ts")).inScope, false, "exclude is still the base's");
    const complexity = policy.ruleConfig(at("lib/a.ts"), "complexity", { severity: "warning", options: { maxCyclomatic: 10, maxNesting: 4 } });
    assert.deepEqual(complexity.options, { maxCyclomatic: 20, maxNesting: 2 }, "options merge key by key");
    assert.equal(complexity.severity, "error");
    assert.equal(complexity.autofix, "deny");
    assert.deepEqual(policy.protected.map((entry) => entry.reason), ["PCI", "secrets"], "a child cannot drop the base's protected paths");
    assert.equal(policy.exceptions.length, 1);
    assert.equal(policy.limits.maxFilesPerChange?.value, 3);
    assert.equal(policy.limits.maxLinesPerChange?.value, 80);
    assert.equal(policy.verify.typecheck, false);
    assert.equal(policy.verify.command?.text, "npm test");
    assert.equal(policy.verify.timeoutSeconds, 60);
    assert.deepEqual(policy.contracts.map((contract) => contract.name), ["api", "schema"]);
  });

  it("a list of bases applies in order: the later one wins", () => {
    const policy = compile("version: 1\nextends: [./a.yaml, ./b.yaml]\n", {
      "a.yaml": "version: 1\nlimits: { maxFilesPerChange: 1, maxLinesPerChange: 10 }\n",
      "b.yaml": "version: 1\nlimits: { maxFilesPerChange: 2 }\n",
    });
    assert.equal(policy.limits.maxFilesPerChange?.value, 2);
    assert.equal(policy.limits.maxFilesPerChange?.origin.file, at("b.yaml"));
    assert.equal(policy.limits.maxLinesPerChange?.value, 10);
  });

  it("a base's globs stay relative to the base's own root", () => {
    const nested = path.join(workspace, "packages", "app", ".selfheal", "policy.yaml");
    const host = memoryHost({ ".selfheal/policy.yaml": 'version: 1\nprotected: [{ paths: ["src/billing/**"], reason: PCI }]\n' });
    const loaded = loadPolicy(nested, workspace, host, "version: 1\nextends: ../../.selfheal/policy.yaml\n");
    assert.ok(loaded.policy, loaded.problems.map(describeProblem).join("; "));
    const decideFor = (file: string) => loaded.policy!.decide({ ruleId: "no-var", files: [file], linesTouched: 1 }).outcome;
    assert.equal(decideFor(path.join(workspace, "packages", "app", "src", "billing", "pay.ts")), "review", "the root's glob does not reach into the package");
    assert.equal(loaded.policy.protected[0].root, workspace);
  });

  it("a diamond (two bases extending one) contributes the shared base once", () => {
    const policy = compile("version: 1\nextends: [./a.yaml, ./b.yaml]\n", {
      "a.yaml": "version: 1\nextends: ./c.yaml\n",
      "b.yaml": "version: 1\nextends: ./c.yaml\n",
      "c.yaml": "version: 1\ncontracts: [{ name: api, entry: src/index.ts }]\n",
    });
    assert.deepEqual(policy.contracts.map((contract) => contract.name), ["api"]);
  });

  it("a missing file", () => {
    assertProblem(onlyProblem(load("version: 1\nextends: ./nope.yaml\n"), "policy-extends"), 2, 10, "extends './nope.yaml': nope.yaml does not exist or cannot be read");
  });

  it("a cycle names the chain", () => {
    const loaded = load("version: 1\nextends: ./a.yaml\n", { "a.yaml": "version: 1\nextends: ./b.yaml\n", "b.yaml": "version: 1\nextends: ./.selfheal/policy.yaml\n" });
    assert.equal(loaded.policy, undefined);
    const cycle = loaded.problems.find((problem) => problem.file === at("b.yaml"));
    assert.ok(cycle);
    assertProblem(cycle, 2, 10, "extends './.selfheal/policy.yaml' makes a cycle: .selfheal/policy.yaml → a.yaml → b.yaml → .selfheal/policy.yaml");
  });

  it("a file extending itself", () => {
    assert.match(onlyProblem(load("version: 1\nextends: ./.selfheal/policy.yaml\n"), "policy-extends").message, /makes a cycle: \.selfheal\/policy\.yaml → \.selfheal\/policy\.yaml$/);
  });

  it(`a chain deeper than ${maxExtendsDepth} files`, () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 20; index++) files[`p${index}.yaml`] = `version: 1\nextends: ./p${index + 1}.yaml\n`;
    files["p20.yaml"] = "version: 1\n";
    const loaded = load("version: 1\nextends: ./p0.yaml\n", files);
    assert.equal(loaded.policy, undefined);
    assert.ok(loaded.problems.some((problem) => problem.message.endsWith(`the chain of extended policies is deeper than ${maxExtendsDepth} files`)));
  });

  it("errors in a base are reported in the base and once where it is extended", () => {
    const loaded = load("version: 1\nextends: ./base.yaml\n", { "base.yaml": "version: 1\nrulez: {}\nlimits: { maxFilesPerChange: 0 }\n" });
    assert.equal(loaded.policy, undefined);
    assert.deepEqual(
      loaded.problems.map((problem) => `${path.relative(workspace, problem.file)} ${describeProblem(problem)}`),
      [
        ".selfheal/policy.yaml policy-extends 2:10-2:21 extends './base.yaml': base.yaml has 2 errors; the first, at line 2: unknown key 'rulez' at the top level; did you mean 'rules'?",
        "base.yaml policy-unknown-key 2:1-2:6 unknown key 'rulez' at the top level; did you mean 'rules'?",
        "base.yaml policy-invalid-value 3:30-3:31 limits.maxFilesPerChange must be an integer ≥ 1 (got 0)",
      ],
    );
  });

  it("a warning in a base (an expired exception) does not break the policy", () => {
    const loaded = load("version: 1\nextends: ./base.yaml\n", { "base.yaml": 'version: 1\nexceptions: [{ paths: ["a/**"], rule: no-var, reason: r, owner: o, expires: 2020-01-01 }]\n' });
    assert.ok(loaded.policy);
    assert.deepEqual(loaded.problems.map((problem) => [problem.id, problem.file, problem.severity]), [["policy-exception-expired", at("base.yaml"), "warning"]]);
  });
});

describe("policy path safety (policy-path-outside)", () => {
  it("extends, ledger, contract and mirror paths that are absolute or climb out with '..'", () => {
    const loaded = load(
      lines(
        "version: 1",
        "extends: ../../outside.yaml",
        "ledger: { path: /var/log/ledger.jsonl }",
        "contracts:",
        "  - { name: a, entry: ../../../etc/passwd.ts, baseline: ../b.json }",
        '  - { name: b, schema: s.json, mirrors: [{ type: "../x.ts#X", schema: /s.json }] }',
      ),
    );
    assert.deepEqual(
      loaded.problems.map(describeProblem),
      [
        `policy-path-outside 2:10-2:28 extends: '../../outside.yaml' resolves to ${path.resolve(workspace, "../../outside.yaml")}, outside the workspace folder ${workspace}`,
        "policy-path-outside 3:17-3:38 ledger.path: '/var/log/ledger.jsonl' is absolute: write it relative to the policy's folder",
        `policy-path-outside 5:23-5:45 contracts[0].entry: '../../../etc/passwd.ts' resolves to ${path.resolve(workspace, "../../../etc/passwd.ts")}, outside the workspace folder ${workspace}`,
        `policy-path-outside 5:57-5:66 contracts[0].baseline: '../b.json' resolves to ${path.resolve(workspace, "../b.json")}, outside the workspace folder ${workspace}`,
        `policy-path-outside 6:50-6:61 contracts[1].mirrors[0].type: '../x.ts' resolves to ${path.resolve(workspace, "../x.ts")}, outside the workspace folder ${workspace}`,
        "policy-path-outside 6:71-6:78 contracts[1].mirrors[0].schema: '/s.json' is absolute: write it relative to the policy's folder",
      ],
    );
  });

  it("'..' that stays inside the workspace folder is fine", () => {
    const nested = path.join(workspace, "packages", "app", ".selfheal", "policy.yaml");
    const loaded = loadPolicy(nested, workspace, memoryHost(), "version: 1\nledger: { path: ../../.selfheal/ledger.jsonl }\n");
    assert.equal(loaded.policy?.ledgerPath.path, path.join(workspace, ".selfheal", "ledger.jsonl"));
  });

  describe("through symbolic links (a real temp folder)", () => {
    let root: string;
    let outside: string;
    before(function () {
      root = makeTempDir();
      outside = makeTempDir();
      writeFiles(outside, { "base.yaml": "version: 1\n", "logs/.keep": "" });
      writeFiles(root, { "inner/base.yaml": "version: 1\nlimits: { maxFilesPerChange: 2 }\n" });
      try {
        fs.symlinkSync(path.join(outside, "logs"), path.join(root, "logs"), "dir");
        fs.symlinkSync(path.join(outside, "base.yaml"), path.join(root, "linked-base.yaml"), "file");
        fs.symlinkSync(path.join(root, "inner"), path.join(root, "inner-link"), "dir");
      } catch {
        this.skip(); // no permission to create links (Windows without developer mode)
      }
    });
    after(removeTempDirs);

    const loadIn = (text: string) => loadPolicy(path.join(root, ".selfheal", "policy.yaml"), root, nodePolicyHost, text);

    it("a ledger path inside a linked folder that points out is refused, even though the file does not exist yet", () => {
      const problem = onlyProblem(loadIn("version: 1\nledger: { path: logs/ledger.jsonl }\n"), "policy-path-outside");
      assert.equal(problem.message, `ledger.path: 'logs/ledger.jsonl' leads through a symbolic link to ${fs.realpathSync(path.join(outside, "logs"))}, outside the workspace folder ${root}`);
      assert.deepEqual(problem.range.start, { line: 1, character: 16 });
    });

    it("extends through a linked file that points out is refused", () => {
      assert.match(onlyProblem(loadIn("version: 1\nextends: ./linked-base.yaml\n"), "policy-path-outside").message, /^extends: '\.\/linked-base\.yaml' leads through a symbolic link to .*base\.yaml, outside the workspace folder/);
    });

    it("a link that stays inside the folder is fine", () => {
      const loaded = loadIn("version: 1\nextends: ./inner-link/base.yaml\n");
      assert.deepEqual(loaded.problems, []);
      assert.equal(loaded.policy?.limits.maxFilesPerChange?.value, 2);
    });
  });
});
