import * as assert from "node:assert/strict";
import { AnalysisScheduler } from "../../../server/src/lsp/scheduler";
import { analyze, removeTempDirs } from "../helpers/workspace";

/**
 * The scheduler with the real engine and no LSP around it, so that an edit can be made at an
 * exact point of the background work (from the publish callback) instead of by timing.
 */
describe("scheduler: re-checking importers", () => {
  afterEach(removeTempDirs);

  const importer = 'import { save } from "./a";\nsave();\n';
  const files = { "src/a.ts": "export function save(): void {}\n", "src/b.ts": importer, "src/c.ts": importer, "src/d.ts": importer };

  async function setUp() {
    const analysis = await analyze(files);
    const { engine, pathOf } = analysis;
    const published: string[] = [];
    let onPublish = (_file: string) => {};
    const logs: string[] = [];
    const logger = { info: (message: string) => logs.push(message), warn: (message: string) => logs.push(message), error: (message: string) => assert.fail(message) };
    const scheduler = new AnalysisScheduler(
      engine,
      (list) => list.forEach((file) => (published.push(file), onPublish(file))),
      () => false,
      () => 0,
      logger,
      () => {},
    );
    const a = pathOf("src/a.ts");
    let version = 2;
    const edit = (text: string) => {
      engine.updateDocument(a, text, version++);
      scheduler.changed([a]);
    };
    return { ...analysis, scheduler, published, logs, a, edit, setOnPublish: (callback: (file: string) => void) => (onPublish = callback) };
  }

  it("skips the importers of a body-only edit of a primed file, and re-checks them when the exports change", async () => {
    const { scheduler, published, logs, a, edit, engine, pathOf } = await setUp();
    // Opened as it is on disk, the text its importers were checked against: what the server primes.
    engine.updateDocument(a, files["src/a.ts"], 1);
    scheduler.prime([a]);
    await scheduler.whenIdle();

    published.length = 0;
    edit("export function save(): void { const unused = 1; }\n");
    await scheduler.whenIdle();
    assert.deepEqual(published.filter((file) => file !== a), []);
    assert.ok(logs.includes(`declarations of ${a} unchanged: skipped re-checking 3 dependent file(s)`), logs.join("\n"));

    edit("export async function save() {}\n");
    await scheduler.whenIdle();
    for (const importer of ["src/b.ts", "src/c.ts", "src/d.ts"]) {
      assert.deepEqual(
        engine.findingsFor(pathOf(importer)).map((finding) => finding.ruleId),
        ["floating-promise"],
        importer,
      );
    }
  });

  it("keeps importers queued by an earlier edit when a newer edit leaves the declarations alone", async () => {
    const { scheduler, published, logs, a, edit, engine, pathOf, setOnPublish } = await setUp();
    scheduler.prime([a]);
    await scheduler.whenIdle();

    // The exports change: b, c and d are queued. After the first of them is re-checked, a
    // body-only edit comes in; its pass skips a's importers, but c and d must still be re-checked.
    let interrupted = false;
    setOnPublish((file) => {
      if (file === a || interrupted) return;
      interrupted = true;
      edit("export async function save() { await 0; }\n");
    });
    edit("export async function save() {}\n");
    await scheduler.whenIdle();
    assert.ok(interrupted);
    assert.ok(logs.includes(`declarations of ${a} unchanged: skipped re-checking 3 dependent file(s)`), logs.join("\n"));
    for (const importer of ["src/b.ts", "src/c.ts", "src/d.ts"]) {
      assert.ok(published.includes(pathOf(importer)), `${importer} was re-checked`);
      assert.deepEqual(
        engine.findingsFor(pathOf(importer)).map((finding) => finding.ruleId),
        ["floating-promise"],
        importer,
      );
    }
  });

  it("re-checks the importers on the first edit of a file whose declarations are not known yet", async () => {
    const { scheduler, published, a, edit, pathOf } = await setUp();
    edit("export function save(): void { const unused = 1; }\n");
    await scheduler.whenIdle();
    assert.deepEqual(
      published.filter((file) => file !== a).sort(),
      ["src/b.ts", "src/c.ts", "src/d.ts"].map(pathOf),
    );
  });
});
