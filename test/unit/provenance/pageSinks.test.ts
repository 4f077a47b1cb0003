import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "../../../..");
const pageSources = path.join(repoRoot, "client/src/provenance/page");
const bundle = path.join(repoRoot, "media/provenance/provenance.js");

/** Ways text can become markup or code in a page; the provenance page must use none (dom.ts builds every element). */
const sinks = /\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\(\s*["'`]on|\.cssText\s*=|setAttribute\(\s*["'`]style|\.srcdoc\b|createContextualFragment|DOMParser/;

describe("provenance page: no HTML or script sinks", () => {
  it("the page's sources never turn text into markup or code", () => {
    const files = fs.readdirSync(pageSources).filter((name) => name.endsWith(".ts"));
    assert.ok(files.length >= 8, `found ${files.join(", ")}`);
    for (const name of files) {
      const text = fs.readFileSync(path.join(pageSources, name), "utf8");
      const hit = sinks.exec(text);
      assert.equal(hit, null, `${name}: ${hit?.[0]}`);
    }
  });

  it("nor does the built bundle (which also holds the view model and protocol it imports)", () => {
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run \`npm run build\` before the unit tests (npm test does)`);
    const hit = sinks.exec(fs.readFileSync(bundle, "utf8"));
    assert.equal(hit, null, hit?.[0]);
  });
});
