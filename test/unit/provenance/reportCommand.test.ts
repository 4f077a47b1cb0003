import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cspHash, reportCommand, scriptSafeJson, type ReportJson } from "../../../server/src/cli/reportCommand";
import { UsageError } from "../../../server/src/cli/args";
import { hostile, hostileLedger, intactLedger, tornLedger } from "../../webview/fixtures";
import { makeTempDir, removeTempDirs } from "../helpers/workspace";

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await reportCommand(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false, version: "test" });
  return { status, stdout, stderr };
}

/** The text of each inline block, exactly as the browser hashes it. */
function inlineBlocks(html: string): { style: string; data: string; script: string } {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  const data = /<script type="application\/json" id="ledger-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  const script = /<script>([\s\S]*?)<\/script>\n<\/body>/.exec(html)?.[1];
  assert.ok(style !== undefined && data !== undefined && script !== undefined);
  return { style, data, script };
}

describe("selfheal report", () => {
  afterEach(removeTempDirs);

  it("--format json prints the integrity and the metrics", async () => {
    const fixture = await intactLedger();
    const { status, stdout } = await run([fixture.root, "--format", "json"]);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as ReportJson;
    assert.equal(report.folder, fixture.root);
    assert.equal(report.ledger, fixture.location.ledgerFile);
    assert.equal(report.integrity.state, "intact");
    assert.equal(report.metrics.changesApplied, 4);
    assert.equal(report.metrics.rollbacks.changeFailureRate, 0.25);
    assert.equal(report.metrics.verification.passRate, 0.75);
  });

  it("text by default; exit 1 when the ledger is not intact; exit 0 and says so without a ledger", async () => {
    const intact = await run([(await intactLedger()).root]);
    assert.equal(intact.status, 0);
    assert.match(intact.stdout, /^ledger intact: 6 entries, head seq 6 \(/);
    assert.match(intact.stdout, /change failure rate: {6}25\.0% \(1 rolled back\)/);
    assert.match(intact.stdout, /median time to rollback: {2}98\.3 h/);
    const torn = await run([(await tornLedger()).root]);
    assert.equal(torn.status, 1);
    assert.match(torn.stdout, /^ledger-torn: line 7: the last line/);
    const empty = await run([makeTempDir()]);
    assert.equal(empty.status, 0);
    assert.match(empty.stdout, /^no ledger: nothing has been recorded yet/);
  });

  it("--html writes one self-contained file: CSP hashes that match its two inline blocks, data escaped for a script element", async () => {
    const fixture = await hostileLedger();
    const output = path.join(makeTempDir(), "nested", "report.html");
    const { status, stderr } = await run([fixture.root, "--html", output]);
    assert.equal(status, 0);
    assert.match(stderr, /wrote .*report\.html \(1 entry\)/);
    const html = fs.readFileSync(output, "utf8");
    const { style, data, script } = inlineBlocks(html);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; script-src '${cspHash(script)}'; style-src '${cspHash(style)}'; img-src 'none'; base-uri 'none'; form-action 'none'`);
    const markup = html.replace(data, "").replace(script, "").replace(style, "");
    assert.ok(!/<(link|img|iframe|object|embed|base)\b|\s(src|href)=/i.test(markup), `nothing to fetch: ${markup}`);
    assert.ok(!/[<>&\u2028\u2029]/.test(data), "the data block has no <, >, & or line separator");
    const parsed = JSON.parse(data) as { format: string; title: string; integrity: { state: string }; lines: string[] };
    assert.equal(parsed.format, "selfheal-provenance-report/1");
    assert.equal(parsed.integrity.state, "intact");
    assert.deepEqual(parsed.lines, fs.readFileSync(fixture.location.ledgerFile, "utf8").split("\n").slice(0, -1));
    assert.ok(parsed.lines[0].includes(hostile.rationale.replace(/"/g, '\\"')), "the rationale is in the data, intact");
    assert.ok(!fs.readdirSync(path.dirname(output)).some((name) => name.endsWith(".tmp")), "the temporary file is gone");
  });

  it("escapes what would end a script element or break JavaScript", () => {
    assert.equal(scriptSafeJson({ a: "</script><!--\u2028\u2029&" }), '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026"}');
    assert.deepEqual(JSON.parse(scriptSafeJson({ a: "</script><!--\u2028\u2029&" })), { a: "</script><!--\u2028\u2029&" });
  });

  it("usage errors: two folders, a missing folder, a bad format, --html without a file", async () => {
    const folder = makeTempDir();
    await assert.rejects(run([folder, folder]), (error: unknown) => error instanceof UsageError && /one folder/.test(error.message));
    await assert.rejects(run([path.join(folder, "missing")]), (error: unknown) => error instanceof UsageError && /not a folder/.test(error.message));
    await assert.rejects(run([folder, "--format", "sarif"]), (error: unknown) => error instanceof UsageError && /--format must be one of: text, json/.test(error.message));
    await assert.rejects(run([folder, "--html"]), (error: unknown) => error instanceof UsageError && /--html needs a value/.test(error.message));
  });
});
