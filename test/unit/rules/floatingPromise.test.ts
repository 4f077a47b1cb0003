import * as assert from "node:assert/strict";
import type { Finding } from "../../../server/src/engine/findings";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "floating-promise";

/** Shared declarations, so that each case reads as the one statement it is about. */
const prelude = [
  "declare function save(): Promise<void>;",
  "declare function log(message: string): void;",
  "declare const pending: Promise<number>;",
  "declare const flag: boolean;",
  "declare function onValue(value: number): void;",
  "declare function onError(error: unknown): void;",
  "",
].join("\n");

/** The text of every expression reported in src/main.ts, whose body follows the prelude. */
async function floating(body: string, extraFiles: Files = {}): Promise<string[]> {
  const result = await analyze({ "src/main.ts": prelude + body, ...extraFiles });
  return result.findingsIn("src/main.ts", rule).map((finding) => result.textOf(finding));
}

/** The one finding in src/main.ts and the text each of its fixes produces. */
async function fixesFor(body: string): Promise<{ finding: Finding; results: Array<{ title: string; preferred: boolean; text: string }> }> {
  const source = prelude + body;
  const result = await analyze({ "src/main.ts": source });
  const findings = result.findingsIn("src/main.ts", rule);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings)}`);
  const [finding] = findings;
  return { finding, results: finding.fixes.map((fix) => ({ title: fix.title, preferred: fix.isPreferred, text: applyFix(source, fix).slice(prelude.length) })) };
}

describe("rule: floating-promise", () => {
  afterEach(removeTempDirs);

  describe("what floats", () => {
    it("reports a promise-returning call used as a statement", async () => {
      assert.deepEqual(await floating("save();\nlog('done');\n"), ["save()"]);
    });

    it("reports `.then(f)`: a rejection passes straight through it", async () => {
      assert.deepEqual(await floating("pending.then(onValue);\n"), ["pending.then(onValue)"]);
    });

    it("reports `.finally(f)` on its own and `.catch()` without a handler", async () => {
      assert.deepEqual(await floating("pending.finally(() => log('x'));\npending.catch();\n"), ["pending.finally(() => log('x'))", "pending.catch()"]);
    });

    it("reports `.then(f)` after `.catch(h)`: f itself may throw", async () => {
      assert.deepEqual(await floating("pending.catch(onError).then(onValue);\n"), ["pending.catch(onError).then(onValue)"]);
    });

    it("reports the right side of `&&`, `||` and `??`", async () => {
      const body = "flag && save();\nflag || save();\ndeclare const maybe: Promise<void> | undefined;\nmaybe ?? save();\n";
      assert.deepEqual(await floating(body), ["flag && save()", "flag || save()", "maybe ?? save()"]);
    });

    it("reports a ternary when either branch floats", async () => {
      assert.deepEqual(await floating("flag ? save() : log('no');\nflag ? log('yes') : save();\n"), ["flag ? save() : log('no')", "flag ? log('yes') : save()"]);
    });

    it("reports the last operand of a comma expression", async () => {
      assert.deepEqual(await floating("(log('a'), save());\n"), ["(log('a'), save())"]);
    });

    it("reports an optional call whose result is `Promise | undefined`", async () => {
      const body = "declare const service: { save(): Promise<void> } | undefined;\nservice?.save();\ndeclare const hook: { run?: () => Promise<void> };\nhook.run?.();\n";
      assert.deepEqual(await floating(body), ["service?.save()", "hook.run?.()"]);
    });

    it("reports thenables that are not Promises: `await` treats them alike", async () => {
      const body = "interface Job { then(onDone: (value: number) => void): void }\ndeclare function schedule(): Job;\nschedule();\n";
      assert.deepEqual(await floating(body), ["schedule()"]);
    });

    it("reports an async IIFE", async () => {
      assert.deepEqual(await floating("(async () => {\n  await save();\n})();\n"), ["(async () => {\n  await save();\n})()"]);
    });

    it("reports a function declared (not `async`) in another file with a Promise return type", async () => {
      const files = { "src/db.ts": "export const persist: (id: string) => Promise<boolean> = (id) => Promise.resolve(id.length > 0);\n" };
      const result = await analyze({ "src/main.ts": 'import { persist } from "./db";\npersist("a");\n', ...files });
      assert.deepEqual(result.findingsIn("src/main.ts", rule).map((finding) => result.textOf(finding)), ['persist("a")']);
    });
  });

  describe("what does not float", () => {
    it("accepts `.then(f, g)`, `.catch(h)` and `.catch(h).finally(f)`", async () => {
      assert.deepEqual(await floating("pending.then(onValue, onError);\npending.catch(onError);\npending.catch(onError).finally(() => log('x'));\n"), []);
    });

    it("accepts `void p` and `await p`", async () => {
      assert.deepEqual(await floating("void save();\nexport async function run(): Promise<void> {\n  await save();\n  await pending;\n}\n"), []);
    });

    it("accepts assignments: whoever reads the variable owns the promise", async () => {
      assert.deepEqual(await floating("let held: Promise<void> | undefined;\nheld = save();\nheld ??= save();\nconst kept = save();\nvoid kept;\n"), []);
    });

    it("accepts a ternary whose branches are all handled", async () => {
      assert.deepEqual(await floating("flag ? save().catch(onError) : void save();\n"), []);
    });

    it("accepts calls that return no thenable, `any`, or an object whose `then` is not callable", async () => {
      const body = "log('x');\ndeclare function loose(): any;\nloose();\ndeclare function odd(): { then: number };\nodd();\n";
      assert.deepEqual(await floating(body), []);
    });

    it("accepts `void` on an async IIFE", async () => {
      assert.deepEqual(await floating("void (async () => {\n  await save();\n})();\n"), []);
    });

    it("is silent when type-aware analysis is switched off", async () => {
      const result = await analyze({ "src/main.ts": prelude + "save();\n" }, { settings: { typeAware: false } });
      assert.deepEqual(result.findingsIn("src/main.ts", rule), []);
    });
  });

  describe("JavaScript", () => {
    const jsTsconfig = JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", allowJs: true, noEmit: true, lib: ["ES2022"] } });
    const js = "async function save() {}\nsave();\n";

    it("skips a JS file without checkJs: the user did not ask for type checking there", async () => {
      const result = await analyze({ "tsconfig.json": jsTsconfig, "src/main.js": js });
      assert.ok(result.engine.workspace.analyzedFiles().includes(result.pathOf("src/main.js")), "the file is analyzed, only not type-aware");
      assert.deepEqual(result.findingsIn("src/main.js", rule), []);
    });

    it("analyzes a JS file that opts in with `// @ts-check`", async () => {
      const result = await analyze({ "tsconfig.json": jsTsconfig, "src/main.js": "// @ts-check\n" + js });
      assert.deepEqual(result.findingsIn("src/main.js", rule).map((finding) => result.textOf(finding)), ["save()"]);
    });

    it("analyzes every JS file when the project sets checkJs", async () => {
      const checkJs = JSON.stringify({ compilerOptions: { ...JSON.parse(jsTsconfig).compilerOptions, checkJs: true } });
      const result = await analyze({ "tsconfig.json": checkJs, "src/main.js": js });
      assert.equal(result.findingsIn("src/main.js", rule).length, 1);
    });

    it("treats a loose JS file (no tsconfig) as unchecked unless it says `// @ts-check`", async () => {
      const result = await analyze({ "plain.js": js, "checked.js": "// @ts-check\n" + js }, { tsconfig: false });
      assert.deepEqual(result.findings.filter((finding) => finding.ruleId === rule).map((finding) => finding.file), [result.pathOf("checked.js")]);
    });
  });

  describe("fixes", () => {
    it("prefixes `void` outside async functions, and offers no `await` there", async () => {
      const { finding, results } = await fixesFor("save();\n");
      assert.equal(finding.severity, "error");
      assert.deepEqual(results, [{ title: "Mark as intentionally not awaited (`void`)", preferred: true, text: "void save();\n" }]);
    });

    it("also offers `await` inside an async function, as the non-preferred fix", async () => {
      const { results } = await fixesFor("export async function run(): Promise<void> {\n  save();\n}\n");
      assert.deepEqual(
        results.map((result) => [result.preferred, result.text]),
        [
          [true, "export async function run(): Promise<void> {\n  void save();\n}\n"],
          [false, "export async function run(): Promise<void> {\n  await save();\n}\n"],
        ],
      );
    });

    it("offers no `await` in a plain callback nested inside an async function: `await` would not compile there", async () => {
      const { results } = await fixesFor("export async function run(): Promise<void> {\n  [1].forEach(() => {\n    save();\n  });\n}\n");
      assert.deepEqual(results.map((result) => result.title), ["Mark as intentionally not awaited (`void`)"]);
    });

    it("offers `await` in async arrows and async methods", async () => {
      const arrow = await fixesFor("export const run = async () => {\n  save();\n};\n");
      assert.equal(arrow.results.length, 2);
      const method = await fixesFor("export class Job {\n  async run() {\n    save();\n  }\n}\n");
      assert.equal(method.results.length, 2);
    });

    it("parenthesizes operands that bind looser than `void`: `void a || p()` would mean `(void a) || p()`", async () => {
      const { results } = await fixesFor("export async function run(): Promise<void> {\n  flag || save();\n}\n");
      assert.deepEqual(
        results.map((result) => result.text.split("\n")[1]),
        ["  void (flag || save());", "  await (flag || save());"],
      );
    });

    it("parenthesizes ternaries and leaves calls alone", async () => {
      const ternary = await fixesFor("flag ? save() : log('no');\n");
      assert.equal(ternary.results[0].text, "void (flag ? save() : log('no'));\n");
      const chained = await fixesFor("pending.then(onValue);\n");
      assert.equal(chained.results[0].text, "void pending.then(onValue);\n");
    });
  });
});
