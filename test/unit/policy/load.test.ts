import * as assert from "node:assert/strict";
import * as path from "node:path";
import { maxPolicyBytes, nodePolicyHost } from "../../../server/src/engine/policy/host";
import { loadPolicy } from "../../../server/src/engine/policy/load";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";
import { assertProblem, compile, describeProblem, lines, load, memoryHost, onlyProblem, policyFile, workspace } from "./helpers";

const fullPolicy = lines(
  "version: 1",
  "extends: recommended",
  'include: ["src/**/*.ts"]',
  'exclude: ["**/*.generated.ts"]',
  "rules:",
  "  no-explicit-any: warning",
  '  floating-promise: { severity: error, autofix: auto, paths: ["src/**"], options: {} }',
  "  complexity: { options: { maxCyclomatic: 15, maxNesting: 4 } }",
  "protected:",
  '  - { paths: ["src/billing/**"], autofix: deny, reason: "PCI scope: human changes only", owner: "@payments" }',
  "exceptions:",
  '  - { paths: ["src/legacy/**"], rule: no-explicit-any, reason: "migration ticket #42", owner: "@alice", expires: 2027-03-31 }',
  "limits: { maxFilesPerChange: 5, maxLinesPerChange: 200 }",
  'verify: { typecheck: true, command: "npm test", timeoutSeconds: 120 }',
  "ledger: { path: .selfheal/ledger.jsonl }",
  "contracts:",
  "  - { name: public-api, entry: src/index.ts, breaking: error }",
  '  - { name: user-schema, schema: schemas/user.schema.json, breaking: error, mirrors: [{ type: "src/user.ts#User", schema: schemas/user.schema.json }] }',
  "architecture:",
  "  layers:",
  '    - { name: domain, paths: ["src/domain/**"], mayImport: [] }',
  '    - { name: infra, paths: ["src/infra/**"], mayImport: [domain] }',
);

describe("policy loader: a valid file", () => {
  it("loads every key of the documented format without a problem", () => {
    const loaded = load(fullPolicy);
    assert.deepEqual(loaded.problems.map(describeProblem), []);
    assert.ok(loaded.policy);
    assert.equal(loaded.file, policyFile);
    assert.equal(loaded.root, workspace);
  });

  it("reads the disk copy when no text is given, and the given text over it", () => {
    const host = memoryHost({ ".selfheal/policy.yaml": "version: 1\nlimits: { maxFilesPerChange: 3 }\n" });
    assert.equal(loadPolicy(policyFile, workspace, host).policy?.limits.maxFilesPerChange?.value, 3);
    assert.equal(loadPolicy(policyFile, workspace, host, "version: 1\nlimits: { maxFilesPerChange: 4 }\n").policy?.limits.maxFilesPerChange?.value, 4);
  });

  it("reports a policy file that cannot be read", () => {
    const loaded = loadPolicy(policyFile, workspace, memoryHost({}));
    assert.equal(loaded.policy, undefined);
    assertProblem(onlyProblem(loaded, "policy-syntax"), 1, 1, `the policy file ${policyFile} could not be read`);
  });

  it("accepts YAML anchors and aliases within the alias limit", () => {
    const policy = compile(lines("version: 1", "protected:", '  - { paths: &billing ["src/billing/**"], reason: PCI }', "exceptions:", "  - { paths: *billing, rule: no-var, reason: r, owner: o, expires: 2030-01-01 }"));
    assert.deepEqual(policy.exceptions[0].paths, ["src/billing/**"]);
  });
});

describe("policy loader: shape errors (policy-invalid-value, policy-unknown-key, policy-unknown-rule)", () => {
  it("an empty file is an error: version is required", () => {
    const loaded = load("");
    assert.equal(loaded.policy, undefined);
    assertProblem(onlyProblem(loaded, "policy-invalid-value"), 1, 1, "the policy file is empty: it must at least say 'version: 1'");
  });

  it("a file of only comments is empty too", () => {
    assertProblem(onlyProblem(load("# nothing yet\n# still nothing\n"), "policy-invalid-value"), 1, 1, "the policy file is empty: it must at least say 'version: 1'");
  });

  it("a missing version is named, with the line to add", () => {
    assertProblem(onlyProblem(load("rules: {}\n"), "policy-invalid-value"), 1, 1, "the policy is missing the required key 'version' (add 'version: 1' at the top)");
  });

  it("version: \"1\" (a string) is rejected, with the fix", () => {
    assertProblem(onlyProblem(load('version: "1"\n'), "policy-invalid-value"), 1, 10, "version must be 1 (got '1': write 1 without quotes)", 13);
  });

  it("version: 2 is rejected", () => {
    assertProblem(onlyProblem(load("version: 2\n"), "policy-invalid-value"), 1, 10, "version must be 1 (got 2)");
  });

  it("an unknown top-level key suggests the known one, on the key", () => {
    assertProblem(onlyProblem(load("version: 1\nrulez: {}\n"), "policy-unknown-key"), 2, 1, "unknown key 'rulez' at the top level; did you mean 'rules'?", 6);
  });

  it("an unknown key in a rule entry suggests the allowed key of that object", () => {
    const loaded = load(lines("version: 1", "rules:", "  no-explicit-any: { autofx: review }"));
    assertProblem(onlyProblem(loaded, "policy-unknown-key"), 3, 22, "unknown key 'autofx' in rules.no-explicit-any; did you mean 'autofix'?", 28);
    assert.equal(loaded.problems.length, 1, "the severity alternative of the rule entry is not reported as well");
  });

  it("an unknown key far from any allowed one lists the allowed keys", () => {
    assertProblem(onlyProblem(load("version: 1\nlimits: { speed: 3 }\n"), "policy-unknown-key"), 2, 11, "unknown key 'speed' in limits (allowed: maxFilesPerChange, maxLinesPerChange)");
  });

  it("a rule that takes no options says so", () => {
    assertProblem(onlyProblem(load("version: 1\nrules:\n  no-var: { options: { x: 1 } }\n"), "policy-unknown-key"), 3, 24, "unknown key 'x' in rules.no-var.options: it takes no keys");
  });

  it("an autofix value that is not allowed lists the allowed ones and the value found", () => {
    assertProblem(onlyProblem(load("version: 1\nrules:\n  floating-promise: { autofix: yes }\n"), "policy-invalid-value"), 3, 32, "rules.floating-promise.autofix must be one of auto, review, deny, off (got 'yes')", 35);
  });

  it("a severity shorthand that is not a severity", () => {
    assertProblem(onlyProblem(load("version: 1\nrules:\n  no-var: warn\n"), "policy-invalid-value"), 3, 11, "rules.no-var must be one of error, warning, info, hint, off (got 'warn')");
  });

  it("a rule entry of the wrong type names both accepted forms", () => {
    assertProblem(
      onlyProblem(load("version: 1\nrules:\n  no-var: [error]\n"), "policy-invalid-value"),
      3,
      11,
      "rules.no-var must be one of error, warning, info, hint, off, or a mapping with severity, autofix, paths, options (got a list)",
    );
  });

  it("rules: [] is not a mapping", () => {
    assertProblem(onlyProblem(load("version: 1\nrules: []\n"), "policy-invalid-value"), 2, 8, "rules must be a mapping (key: value) (got an empty list)");
  });

  it("limits must be integers ≥ 1", () => {
    assertProblem(onlyProblem(load("version: 1\nlimits: { maxFilesPerChange: 0 }\n"), "policy-invalid-value"), 2, 30, "limits.maxFilesPerChange must be an integer ≥ 1 (got 0)", 31);
    assertProblem(onlyProblem(load("version: 1\nlimits: { maxLinesPerChange: 2.5 }\n"), "policy-invalid-value"), 2, 30, "limits.maxLinesPerChange must be an integer (got 2.5)");
  });

  it("verify.timeoutSeconds must be within 1..3600", () => {
    assertProblem(onlyProblem(load("version: 1\nverify: { timeoutSeconds: 3601 }\n"), "policy-invalid-value"), 2, 27, "verify.timeoutSeconds must be an integer from 1 to 3600 (got 3601)");
  });

  it("a protected entry without a reason", () => {
    assertProblem(onlyProblem(load('version: 1\nprotected:\n  - paths: ["src/**"]\n'), "policy-invalid-value"), 3, 5, "protected[0] is missing the required key 'reason'");
  });

  it("an empty paths list", () => {
    assertProblem(onlyProblem(load("version: 1\nprotected:\n  - { paths: [], reason: r }\n"), "policy-invalid-value"), 3, 14, "protected[0].paths must list at least 1 item (got an empty list)");
  });

  it("an unknown rule id under rules suggests the closest id", () => {
    assertProblem(onlyProblem(load("version: 1\nrules:\n  no-explicit-anyy: error\n"), "policy-unknown-rule"), 3, 3, "unknown rule 'no-explicit-anyy' in rules; did you mean 'no-explicit-any'?", 19);
  });

  it("a fragment of a rule id suggests the full id", () => {
    assert.match(onlyProblem(load("version: 1\nrules:\n  explicit-any: error\n"), "policy-unknown-rule").message, /did you mean 'no-explicit-any'\?$/);
  });

  it("an unknown rule id in an exception", () => {
    const loaded = load(lines("version: 1", "exceptions:", '  - { paths: ["a/**"], rule: floating-promises, reason: r, owner: o, expires: 2030-01-01 }'));
    assertProblem(onlyProblem(loaded, "policy-unknown-rule"), 3, 30, "unknown rule 'floating-promises' in exceptions[0].rule; did you mean 'floating-promise'?");
  });

  it("expires must be YYYY-MM-DD and a real calendar date", () => {
    const entry = (expires: string) => lines("version: 1", "exceptions:", `  - { paths: ["a/**"], rule: no-var, reason: r, owner: o, expires: ${expires} }`);
    assertProblem(onlyProblem(load(entry("31/03/2027")), "policy-invalid-value"), 3, 68, "exceptions[0].expires must be a date written YYYY-MM-DD (got '31/03/2027')");
    assertProblem(onlyProblem(load(entry("2027-02-29")), "policy-invalid-value"), 3, 68, "exceptions[0].expires is not a calendar date (got '2027-02-29')");
    assert.deepEqual(load(entry("2028-02-29")).problems, [], "2028 is a leap year");
    assertProblem(onlyProblem(load(entry("2027")), "policy-invalid-value"), 3, 68, "exceptions[0].expires must be a string (got 2027)");
  });

  it("a contract needs exactly one of entry and schema, a kebab-case name, and a unique name", () => {
    const loaded = load(
      lines(
        "version: 1",
        "contracts:",
        "  - { name: both, entry: src/index.ts, schema: s.json }",
        "  - { name: neither }",
        "  - { name: Public API, entry: src/index.ts }",
        "  - { name: both, entry: src/other.ts }",
      ),
    );
    const messages = loaded.problems.map(describeProblem);
    assert.deepEqual(messages, [
      "policy-invalid-value 3:5-3:56 contracts[0] must have exactly one of 'entry' (a module whose exports are the contract) or 'schema' (a JSON Schema file), not both",
      "policy-invalid-value 4:5-4:22 contracts[1] must have exactly one of 'entry' (a module whose exports are the contract) or 'schema' (a JSON Schema file)",
      "policy-invalid-value 5:13-5:23 contracts[2].name must be kebab-case: lowercase letters and digits joined by '-' (e.g. public-api) (got 'Public API')",
      "policy-invalid-value 6:13-6:17 contract 'both' is already declared (contracts[0], line 3); names must be unique",
    ]);
  });

  it("a layer may only import defined layers, and layer names are unique", () => {
    const loaded = load(
      lines(
        "version: 1",
        "architecture:",
        "  layers:",
        '    - { name: domain, paths: ["src/domain/**"] }',
        '    - { name: infra, paths: ["src/infra/**"], mayImport: [domian] }',
        '    - { name: domain, paths: ["src/other/**"] }',
      ),
    );
    assert.deepEqual(loaded.problems.map(describeProblem), [
      "policy-invalid-value 5:59-5:65 architecture.layers[1].mayImport[0]: no layer is named 'domian'; did you mean 'domain'?",
      "policy-invalid-value 6:15-6:21 layer 'domain' is already declared (architecture.layers[0], line 4); names must be unique",
    ]);
  });

  it("reports every problem of a file in one pass, top to bottom", () => {
    const loaded = load(lines("version: 1", "rulez: {}", "limits: { maxFilesPerChange: 0 }", 'include: ["/abs/**"]'));
    assert.deepEqual(
      loaded.problems.map((problem) => `${problem.id}@${problem.range.start.line + 1}`),
      ["policy-unknown-key@2", "policy-invalid-value@3", "policy-bad-glob@4"],
    );
    assert.ok(loaded.problems.every((problem) => problem.file === policyFile && problem.severity === "error"));
  });
});

describe("policy loader: globs (policy-bad-glob)", () => {
  const withInclude = (glob: string) => load(`version: 1\ninclude: ["${glob}"]\n`);

  it("an absolute glob", () => {
    assertProblem(onlyProblem(withInclude("/src/**"), "policy-bad-glob"), 2, 11, "include[0]: '/src/**' is absolute: globs are relative to the policy's folder", 20);
  });

  it("a glob with a '..' segment", () => {
    assertProblem(onlyProblem(withInclude("src/../../x/**"), "policy-bad-glob"), 2, 11, "include[0]: 'src/../../x/**' climbs out with '..': a policy only governs files under its own folder");
  });

  it("a Windows path (backslashes) would silently match nothing, so it is refused", () => {
    assert.match(onlyProblem(load('version: 1\nexclude: ["src\\\\gen\\\\**"]\n'), "policy-bad-glob").message, /^exclude\[0\]: 'src\\gen\\\*\*' contains '\\': globs use forward slashes/);
  });

  it("a brace expansion bomb is refused before minimatch expands it", () => {
    const started = Date.now();
    const loaded = withInclude("src/{1..100000000}/**");
    assert.ok(Date.now() - started < 2000, "refused without expanding");
    assertProblem(onlyProblem(loaded, "policy-bad-glob"), 2, 11, "include[0]: 'src/{1..100000000}/**' expands to more than 256 patterns");
    assert.match(onlyProblem(withInclude("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"), "policy-bad-glob").message, /expands to more than 256 patterns$/);
  });

  it("globs in rules, protected, exceptions and layers are checked too", () => {
    const loaded = load(
      lines(
        "version: 1",
        'rules: { no-var: { paths: ["/a"] } }',
        'protected: [{ paths: ["/b"], reason: r }]',
        'exceptions: [{ paths: ["/c"], rule: no-var, reason: r, owner: o, expires: 2030-01-01 }]',
        'architecture: { layers: [{ name: l, paths: ["/d"] }] }',
      ),
    );
    assert.deepEqual(
      loaded.problems.map((problem) => problem.message.split(":")[0]),
      ["rules.no-var.paths[0]", "protected[0].paths[0]", "exceptions[0].paths[0]", "architecture.layers[0].paths[0]"],
    );
    assert.ok(loaded.problems.every((problem) => problem.id === "policy-bad-glob"));
  });
});

describe("policy loader: YAML errors (policy-syntax) and resource limits (policy-too-large)", () => {
  after(removeTempDirs);

  it("a syntax error has yaml's position", () => {
    const problem = load("version: 1\nrules: { no-var: error\nlimits: {}\n").problems[0];
    assert.equal(problem.id, "policy-syntax");
    assert.match(problem.message, /^YAML syntax: /);
    assert.ok(problem.range.start.line >= 1, "points after the unclosed brace");
  });

  it("a duplicate key is an error on the second occurrence", () => {
    assertProblem(onlyProblem(load("version: 1\nrules: {}\nversion: 1\n"), "policy-syntax"), 3, 1, "this key appears twice in the same mapping; keep one");
  });

  it("tabs used for indentation", () => {
    assert.equal(load("version: 1\nlimits:\n\tmaxFilesPerChange: 2\n").problems[0].id, "policy-syntax");
  });

  it("a second YAML document", () => {
    assertProblem(onlyProblem(load("version: 1\n---\nversion: 1\n"), "policy-syntax"), 2, 1, "a policy file holds one YAML document; remove the second one (after '---')");
  });

  it("nodePolicyHost reads at most one byte past the limit, and such a file is refused", () => {
    const root = makeTempDir();
    writeFiles(root, { ".selfheal/policy.yaml": "version: 1\n" + "#".repeat(10 * 1024 * 1024) });
    const file = path.join(root, ".selfheal", "policy.yaml");
    assert.equal(nodePolicyHost.readFile(file)?.length, maxPolicyBytes + 1);
    assertProblem(onlyProblem(loadPolicy(file, root, nodePolicyHost), "policy-too-large"), 1, 1, "the policy file is over the 256 KiB limit (at least 256 KiB); it was not read");
  });

  it("nodePolicyHost drops a byte order mark, so columns match the editor's", () => {
    const root = makeTempDir();
    writeFiles(root, { ".selfheal/policy.yaml": "\uFEFFversion: 1\nrulez: {}\n" });
    const loaded = loadPolicy(path.join(root, ".selfheal", "policy.yaml"), root, nodePolicyHost);
    assertProblem(onlyProblem(loaded, "policy-unknown-key"), 2, 1, "unknown key 'rulez' at the top level; did you mean 'rules'?");
    assert.equal(nodePolicyHost.readFile(root), undefined, "a folder is not a file");
  });

  it("refuses a 300 KiB file without parsing it", () => {
    const text = "version: 1\n" + `# ${"x".repeat(100)}\n`.repeat(3000);
    const loaded = load(text);
    assert.equal(loaded.policy, undefined);
    assertProblem(onlyProblem(loaded, "policy-too-large"), 1, 1, "the policy file is over the 256 KiB limit (at least 301 KiB); it was not read");
  });

  it("refuses an alias bomb (nested 10 levels) fast", () => {
    let text = "version: 1\nx0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let level = 1; level < 10; level++) text += `x${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(", ")}]\n`;
    const started = Date.now();
    const loaded = load(text);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assertProblem(onlyProblem(loaded, "policy-too-large"), 1, 1, "the policy expands YAML aliases more than 100 times (an alias bomb?); it was not read");
  });

  it("refuses more than 100 aliases (yaml resolves each by walking the whole document)", () => {
    const text = "version: 1\nx: &a [1]\n" + Array.from({ length: 101 }, (_, index) => `y${index}: *a`).join("\n") + "\n";
    assertProblem(onlyProblem(load(text), "policy-too-large"), 103, 7, "the policy uses more than 100 YAML aliases; it was not read");
  });

  it("a file with thousands of mistakes lists the first 100 and says how many more", () => {
    const loaded = load("version: 1\n" + Array.from({ length: 5000 }, (_, index) => `key${index}: 1`).join("\n") + "\n");
    assert.equal(loaded.problems.length, 101);
    assert.equal(loaded.problems[100].message, "…and 4900 more problems in this file (the first 100 are listed)");
  });

  it("refuses deeply nested flow collections instead of crashing the process", () => {
    // 2,000 unclosed brackets are enough to abort Node inside the YAML composer; the guard reads the parser's tokens first.
    const loaded = load("version: 1\nrules: " + "[".repeat(100_000));
    assertProblem(onlyProblem(loaded, "policy-too-large"), 2, 71, "the policy nests collections more than 64 levels deep here; it was not read");
  });

  it("refuses deeply nested block sequences on one line and closed flow mappings", () => {
    assert.equal(onlyProblem(load("- ".repeat(20_000) + "x\n"), "policy-too-large").id, "policy-too-large");
    assert.equal(onlyProblem(load("{a: ".repeat(5000) + "1" + "}".repeat(5000)), "policy-too-large").id, "policy-too-large");
  });

  it("accepts nesting within the limit", () => {
    const options = "{ a: ".repeat(50) + "1" + " }".repeat(50);
    // Deep but legal YAML: the schema, not the guard, rejects it.
    assert.equal(onlyProblem(load(`version: 1\nrules: { complexity: { options: { maxNesting: ${options} } } }\n`), "policy-invalid-value").id, "policy-invalid-value");
  });
});

describe("policy loader: never throws, never hangs (fuzz)", () => {
  /** A small deterministic generator, so a failure reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }

  function assertWellFormed(text: string): void {
    const loaded = load(text);
    const lineCount = text.split("\n").length;
    for (const problem of loaded.problems) {
      assert.ok(problem.message.length > 0);
      assert.ok(problem.range.start.line >= 0 && problem.range.start.line < lineCount, `problem line in range for ${JSON.stringify(text.slice(0, 80))}`);
      assert.ok(problem.range.end.line >= problem.range.start.line);
    }
    if (loaded.policy === undefined) assert.ok(loaded.problems.some((problem) => problem.severity === "error"), "a broken policy names an error");
  }

  it("every truncation of a full policy loads or reports", () => {
    for (let end = 0; end <= fullPolicy.length; end += 5) assertWellFormed(fullPolicy.slice(0, end));
  });

  it("random bytes, random YAML punctuation and random splices", () => {
    const next = random(42);
    const alphabet = "[]{}:,-?&*!|>'\"#%@` \n\tab01.~";
    for (let round = 0; round < 200; round++) {
      const length = Math.floor(next() * 400);
      let garbage = "";
      for (let index = 0; index < length; index++) garbage += round % 2 === 0 ? String.fromCharCode(Math.floor(next() * 0x3000)) : alphabet[Math.floor(next() * alphabet.length)];
      assertWellFormed(garbage);
      const at = Math.floor(next() * fullPolicy.length);
      assertWellFormed(fullPolicy.slice(0, at) + garbage.slice(0, 20) + fullPolicy.slice(at));
    }
  });

  it("odd but parseable values: null keys, numbers as keys, prototype names, custom tags", () => {
    for (const text of ["version: 1\n~: 1\n", "version: 1\n1: 2\n", "version: 1\nrules: { __proto__: error, constructor: warning }\n", "version: 1\nrules: !!set { a }\n", "version: 1\nextends: !custom recommended\n", "version: 1\n? [a, b]\n: c\n", "\uFEFFversion: 1\n"]) {
      assertWellFormed(text);
    }
    const loaded = load("version: 1\nrules: { __proto__: error }\n");
    assertProblem(onlyProblem(loaded, "policy-unknown-rule"), 2, 10, "unknown rule '__proto__' in rules (rules: no-explicit-any, floating-promise, import-cycle, empty-catch, loose-equality, no-var, prefer-const, console-call, ts-ignore, unused-import, deprecated-usage, non-null-assertion, complexity)");
  });
});
