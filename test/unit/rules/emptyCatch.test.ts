import * as assert from "node:assert/strict";
import { analyze, removeTempDirs } from "../helpers/workspace";

const rule = "empty-catch";

/** The text of every reported catch clause in src/main.ts. */
async function reported(source: string, file = "src/main.ts"): Promise<string[]> {
  const result = await analyze({ [file]: source });
  return result.findingsIn(file, rule).map((finding) => result.textOf(finding));
}

describe("rule: empty-catch", () => {
  afterEach(removeTempDirs);

  it("reports an empty catch block, with and without a binding, and one holding only `;`", async () => {
    const source = "declare function run(): void;\ntry { run(); } catch (error) {}\ntry { run(); } catch {\n}\ntry { run(); } catch { ; }\n";
    assert.deepEqual(await reported(source), ["catch (error) {}", "catch {\n}", "catch { ; }"]);
  });

  it("reports an empty catch even when a finally block follows", async () => {
    assert.deepEqual(await reported("declare function run(): void;\ntry { run(); } catch {} finally { run(); }\n"), ["catch {}"]);
  });

  it("accepts a catch that says why it ignores the error, in either comment style", async () => {
    const source = "declare function run(): void;\ntry { run(); } catch {\n  // the cache is optional\n}\ntry { run(); } catch { /* best effort */ }\n";
    assert.deepEqual(await reported(source), []);
  });

  it("accepts a catch that handles or rethrows, and leaves other empty blocks alone", async () => {
    const source = "declare function run(): void;\ntry { run(); } catch (error) { throw error; }\nif (Math.random()) {}\nexport function noop(): void {}\n";
    assert.deepEqual(await reported(source), []);
  });

  it("finds nested catches, in TSX too, and offers no fix", async () => {
    const source = "export function View() {\n  try {\n    try { JSON.parse('x'); } catch {}\n  } catch (outer) {\n    return <p>{String(outer)}</p>;\n  }\n  return <p />;\n}\n";
    const result = await analyze({ "src/view.tsx": source, "tsconfig.json": JSON.stringify({ compilerOptions: { jsx: "preserve", strict: true, lib: ["ES2022"], noEmit: true } }) });
    const findings = result.findingsIn("src/view.tsx", rule);
    assert.deepEqual(findings.map((finding) => result.textOf(finding)), ["catch {}"]);
    assert.deepEqual(findings[0].fixes, []);
    assert.equal(findings[0].severity, "warning");
    assert.match(findings[0].message, /swallows the error/);
  });

  it("runs without type information, and `off` removes it", async () => {
    const source = "try { JSON.parse('x'); } catch {}\n";
    const syntactic = await analyze({ "src/main.ts": source }, { settings: { typeAware: false } });
    assert.equal(syntactic.findingsIn("src/main.ts", rule).length, 1);
    const off = await analyze({ "src/main.ts": source }, { settings: { rules: { [rule]: "off" } } });
    assert.deepEqual(off.findingsIn("src/main.ts", rule), []);
  });
});
