import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { allRules } from "../../server/src/engine/rules";
import { makeTempDir, removeTempDirs } from "../unit/helpers/workspace";
import { copyFixture, repoRoot, runCli } from "./helpers";

const packageVersion: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;

describe("cli: usage, metadata and exit codes", function () {
  this.timeout(60_000);
  afterEach(removeTempDirs);

  describe("usage errors exit 2 with a message naming the problem, then the usage", () => {
    const cases: Array<[string, string[], RegExp]> = [
      ["an unknown option", ["check", ".", "--fromat", "json"], /^selfheal: unknown option --fromat\n/],
      ["a folder that does not exist", ["check", "/no/such/folder/anywhere"], /^selfheal: no such folder: \/no\/such\/folder\/anywhere\n/],
      ["a bad --format", ["check", ".", "--format", "xml"], /^selfheal: --format must be one of: text, json, sarif\n/],
      ["--format without a value", ["check", ".", "--format"], /^selfheal: --format needs a value\n/],
      ["a bad --fail-on", ["check", ".", "--fail-on", "info"], /^selfheal: --fail-on must be one of: error, warning, never\n/],
      ["a bad --max-file-size-kb", ["check", ".", "--max-file-size-kb", "0"], /^selfheal: --max-file-size-kb must be a positive number\n/],
      ["two folders", ["check", "a", "b"], /^selfheal: check takes one folder\n/],
      ["an unknown command", ["lint"], /^selfheal: unknown command 'lint'\n/],
      ["a bad rules --format", ["rules", "--format", "sarif"], /^selfheal: --format must be one of: text, json\n/],
    ];
    for (const [what, args, message] of cases) {
      it(what, () => {
        const { status, stdout, stderr } = runCli(args, { cwd: makeTempDir() });
        assert.equal(status, 2);
        assert.equal(stdout, "", "nothing on stdout: a script piping the output must not mistake the error for a report");
        assert.match(stderr, message);
        assert.match(stderr, /\nUsage:\n/);
      });
    }

    it("a file where a folder is expected", () => {
      const file = path.join(makeTempDir(), "a.ts");
      fs.writeFileSync(file, "");
      const { status, stderr } = runCli(["check", file]);
      assert.equal(status, 2);
      assert.match(stderr, /not a folder/);
    });
  });

  it("--help prints the usage with every command and the exit codes, and exits 0", () => {
    for (const flag of ["--help", "-h", "help"]) {
      const { status, stdout } = runCli([flag]);
      assert.equal(status, 0, flag);
      assert.match(stdout, /^selfheal \d+\.\d+\.\d+: /);
      for (const command of ["selfheal check [FOLDER]", "selfheal rules", "selfheal lsp", "--fail-on error|warning|never"]) assert.ok(stdout.includes(command), `${flag}: ${command}`);
      assert.match(stdout, /Exit codes: 0 ok, 1 findings .*, 2 usage error, 3 internal error\./);
    }
  });

  it("--version prints the package version, and exits 0", () => {
    const { status, stdout } = runCli(["--version"]);
    assert.equal(status, 0);
    assert.equal(stdout, `${packageVersion}\n`);
  });

  it("rules --format json lists every rule with its metadata and a docs link that exists", () => {
    const { status, stdout } = runCli(["rules", "--format", "json"]);
    assert.equal(status, 0);
    const { rules } = JSON.parse(stdout);
    assert.deepEqual(
      rules.slice(0, 3).map(({ docs, ...meta }: { docs: string }) => meta),
      [
        { id: "no-explicit-any", description: "Disallow the `any` type; prefer `unknown` or a precise type.", defaultSeverity: "warning", typeAware: false, fixable: true, scope: "file" },
        {
          id: "floating-promise",
          description: "Promises must be awaited, returned, handled with .catch/.then(_, onRejected), or explicitly ignored with `void`.",
          defaultSeverity: "error",
          typeAware: true,
          fixable: true,
          scope: "file",
        },
        { id: "import-cycle", description: "Disallow runtime import cycles between workspace modules (type-only imports are ignored).", defaultSeverity: "warning", typeAware: false, fixable: false, scope: "workspace" },
      ],
    );
    assert.deepEqual(rules.find((rule: { id: string }) => rule.id === "complexity"), {
      id: "complexity",
      description: "Report functions over a cyclomatic-complexity or nesting-depth threshold (options `maxCyclomatic`, `maxNesting`).",
      defaultSeverity: "warning",
      typeAware: false,
      fixable: false,
      scope: "file",
      docs: rules.find((rule: { id: string }) => rule.id === "complexity").docs,
    });
    // The CLI lists exactly what the engine knows, in the engine's order.
    assert.deepEqual(rules.map((rule: { id: string }) => rule.id), allRules.map((rule) => rule.meta.id));
    for (const rule of rules) {
      const docs = new URL(rule.docs);
      assert.equal(docs.protocol, "file:");
      assert.ok(docs.pathname.endsWith(`/docs/rules/${rule.id}.md`), rule.docs);
      assert.ok(fs.existsSync(docs), `${rule.docs} does not exist`);
    }
  });

  it("rules (text) prints one entry per rule with its traits", () => {
    const { status, stdout } = runCli(["rules"]);
    assert.equal(status, 0);
    assert.match(stdout, /^floating-promise {5}Promises must be awaited/m);
    assert.ok(stdout.includes("error · type-aware · fixable · per file"));
    assert.ok(stdout.includes("warning · syntactic · no fix · workspace"));
  });

  it("exits 3 with the error on stderr when the tool itself fails (here: stdout is a full disk)", function () {
    // /dev/full fails every write with ENOSPC: a real failure, outside the engine, that CI can meet.
    if (!fs.existsSync("/dev/full")) this.skip();
    const full = fs.openSync("/dev/full", "w");
    try {
      const { status, stderr } = runCli(["check", copyFixture("warnings-only"), "--format", "json"], { stdio: ["ignore", full, "pipe"] });
      assert.equal(status, 3, stderr);
      assert.match(stderr, /^selfheal: .*ENOSPC/m);
    } finally {
      fs.closeSync(full);
    }
  });
});
