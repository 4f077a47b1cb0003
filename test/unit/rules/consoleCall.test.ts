import * as assert from "node:assert/strict";
import { analyze, applyFix, removeTempDirs, type Files } from "../helpers/workspace";

const rule = "console-call";

/** A typed console, as @types/node or lib.dom would declare it. */
const globals = { "src/globals.d.ts": "declare var console: { log(...data: unknown[]): void; error(...data: unknown[]): void; warn(...data: unknown[]): void; info(...data: unknown[]): void };\n" };

interface Reported {
  text: string;
  /** The whole file after the fix, or undefined when none is offered. */
  fixed: string | undefined;
}

async function reported(source: string, file = "src/main.ts", extra: Files = globals, tsconfig?: string): Promise<Reported[]> {
  const result = await analyze({ [file]: source, ...extra }, tsconfig ? { tsconfig } : {});
  return result.findingsIn(file, rule).map((finding) => ({ text: result.textOf(finding), fixed: finding.fixes[0] ? applyFix(source, finding.fixes[0]) : undefined }));
}

const noUnused = JSON.stringify({ compilerOptions: { strict: true, noUnusedLocals: true, noUnusedParameters: true, lib: ["ES2022"], noEmit: true } });

describe("rule: console-call", () => {
  afterEach(removeTempDirs);

  describe("what is reported", () => {
    it("reports console calls by any spelling of the member, on the callee", async () => {
      const source = "console.log('a');\nconsole['warn']('b');\nconsole?.info('c');\nexport const f = () => console.error('d');\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.text), ["console.log", "console['warn']", "console?.info", "console.error"]);
    });

    it("reports the global console even when no library declares it", async () => {
      const found = await reported("console.log('x');\nexport {};\n", "src/main.ts", {});
      assert.deepEqual(found.map((finding) => finding.text), ["console.log"]);
    });

    it("does not report a local `console` (shadowing), nor references that are not calls", async () => {
      const source = "declare const logger: { log(message: string): void };\nexport function f(console: { log(m: string): void }) {\n  console.log('param');\n}\n{\n  const console = logger;\n  console.log('block');\n}\nexport const log = console.log;\n";
      assert.deepEqual(await reported(source), []);
    });

    it("skips test files, by name and by folder under the project", async () => {
      const source = "console.log('debug');\nexport {};\n";
      for (const file of ["src/order.test.ts", "src/order.spec.tsx", "src/__tests__/order.ts", "test/order.ts", "tests/unit/order.ts"]) {
        const tsconfig = file.endsWith(".tsx") ? JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } }) : undefined;
        assert.deepEqual(await reported(source, file, globals, tsconfig), [], file);
      }
      assert.equal((await reported(source, "src/testing/contest.ts")).length, 1);
    });
  });

  describe("the fix", () => {
    it("removes the statement with its line, keeping the comments around it", async () => {
      const source = "export function f(id: string) {\n  // trace the id\n  console.log('id', id, 1, -2, null, `x`, { id }, [id, true]);\n  return id; // done\n}\n";
      const [finding] = await reported(source);
      assert.equal(finding.fixed, "export function f(id: string) {\n  // trace the id\n  return id; // done\n}\n");
    });

    it("removes only the statement when other code shares its line", async () => {
      const source = "declare function a(): void;\na(); console.log('x'); a();\na(); console.log('y');\n";
      const found = await reported(source);
      assert.deepEqual(found.map((finding) => finding.fixed), ["declare function a(): void;\na(); a();\na(); console.log('y');\n", "declare function a(): void;\na(); console.log('x'); a();\na();\n"]);
    });

    it("leaves `{}` where the call is the whole body of an if or a loop", async () => {
      const source = "declare const debug: boolean;\nif (debug) console.log('on');\nelse console.log('off');\nfor (const x of [1]) console.log(x);\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed?.split("\n").slice(1, 4).join("\n")), [
        "if (debug) {}\nelse console.log('off');\nfor (const x of [1]) console.log(x);",
        "if (debug) console.log('on');\nelse {}\nfor (const x of [1]) console.log(x);",
        "if (debug) console.log('on');\nelse console.log('off');\nfor (const x of [1]) {}",
      ]);
    });

    it("offers no fix when an argument could have an effect or throw", async () => {
      const source = [
        "declare function compute(): number;",
        "declare const box: { value: number };",
        "declare const obj: object;",
        "console.log(compute());",
        "console.log(box.value);", // a getter could run
        "console.log(`${obj}`);", // toString could run
        "console.log(later);", // temporal dead zone
        "console.log(...[1]);",
        "console.log(document);", // a global: may be a getter
        "const later = 1;",
        "export {};",
        "",
      ].join("\n");
      assert.deepEqual((await reported(source, "src/main.ts", { ...globals, "src/dom.d.ts": "declare var document: object;\n" })).map((finding) => finding.fixed), Array(6).fill(undefined));
    });

    it("offers no fix where the call is not a statement of its own", async () => {
      const source = "declare const ok: boolean;\nexport const f = () => console.log('x');\nexport const g = ok && console.log('y');\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed), [undefined, undefined]);
    });

    it("offers no fix when removing the line would let automatic semicolon insertion join its neighbours", async () => {
      const prelude = "declare let a: unknown, b: (x: unknown) => unknown;\nexport function f() {\n  a = b\n";
      // With a semicolon after `a = b`, the two stay apart.
      const terminated = prelude.replace("a = b\n", "a = b;\n");
      assert.deepEqual((await reported(terminated + "  console.log('x');\n  (b)(1)\n}\n")).map((finding) => finding.fixed), [terminated + "  (b)(1)\n}\n"]);
      // Without it, `a = b` and `(b)(1)` would become `a = b(b)(1)`.
      assert.deepEqual((await reported(prelude + "  console.log('x');\n  (b)(1)\n}\n")).map((finding) => finding.fixed), [undefined]);
      // A leading `;` on the next line would become the end of `a = b`: a different tree, so no fix either (conservative).
      assert.deepEqual((await reported(prelude + "  console.log('x');\n  ;(b)(1)\n}\n")).map((finding) => finding.fixed), [undefined]);
      // A semicolon on the next line ends the console statement itself, and goes with it.
      assert.deepEqual((await reported(prelude + "  console.log('x')\n  ;[1].forEach(b)\n}\n")).map((finding) => finding.fixed), [undefined]);
    });

    it("offers no fix under a `@ts-expect-error` or `@ts-ignore`: the directive would move to the next line", async () => {
      const source = "export function f() {\n  // @ts-expect-error: demo\n  console.log(missing);\n  /* @ts-ignore */\n\n  // a note\n  console.log('quiet');\n  console.log('free');\n}\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed !== undefined), [false, false, true]);
    });

    it("offers no fix when a string statement would move into the directive prologue", async () => {
      const source = "export function f() {\n  console.log('first');\n  'use strict';\n}\n";
      assert.deepEqual((await reported(source)).map((finding) => finding.fixed), [undefined]);
    });

    it("with noUnusedLocals, offers no fix that removes a variable's last read", async () => {
      const source = "export function f(input: string) {\n  const only = input.trim();\n  console.log(only);\n  const twice = input.length;\n  console.log(twice);\n  return twice;\n}\n";
      const found = await reported(source, "src/main.ts", globals, noUnused);
      assert.deepEqual(found.map((finding) => finding.fixed !== undefined), [false, true]);
      // Reads that are themselves console calls do not count: removing both must not leave `both` unread.
      const both = "export function g(input: string) {\n  const both = input.trim();\n  console.log(both);\n  console.info(both);\n}\n";
      assert.deepEqual((await reported(both, "src/main.ts", globals, noUnused)).map((finding) => finding.fixed), [undefined, undefined]);
    });

    it("works in TSX, with the finding's severity and message", async () => {
      const tsconfig = JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } });
      const source = "export function Button(props: { label: string }) {\n  console.warn(props.label.length > 0);\n  return <button onClick={() => { console.log('clicked'); }}>{props.label}</button>;\n}\n";
      const result = await analyze({ "src/button.tsx": source, ...globals, "tsconfig.json": tsconfig });
      const findings = result.findingsIn("src/button.tsx", rule);
      assert.equal(findings.length, 2);
      assert.equal(findings[0].severity, "warning");
      assert.equal(findings[0].message, "Unexpected `console.warn`: use the project's logger, or remove this output.");
      assert.deepEqual(findings[0].fixes, []);
      assert.equal(findings[1].fixes[0].title, "Remove the `console.log` call");
      assert.equal(applyFix(source, findings[1].fixes[0]), source.replace(" console.log('clicked'); ", " "));
    });
  });
});
