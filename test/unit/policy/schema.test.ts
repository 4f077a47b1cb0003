import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { allRules } from "../../../server/src/engine/rules";
import { bundledPoliciesFolder, loadPolicy } from "../../../server/src/engine/policy/load";
import { policySchema, type SchemaNode } from "../../../server/src/engine/policy/schema";
import { describeProblem, memoryHost, workspace } from "./helpers";

/** Every (path, node) of the schema, through properties, items and anyOf branches. */
function walk(node: SchemaNode, at: string, visit: (node: SchemaNode, at: string) => void): void {
  visit(node, at);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${at}.${key}`, visit);
  if (node.items) walk(node.items, `${at}[]`, visit);
  node.anyOf?.forEach((branch, index) => walk(branch, `${at}|${index}`, visit));
}

describe("policy JSON Schema (policies/policy.schema.json)", () => {
  const schema = policySchema();

  it("lists exactly the registry's rules, each described with the rule's own description", () => {
    const ruleSchemas = schema.properties?.rules?.properties ?? {};
    assert.deepEqual(Object.keys(ruleSchemas), allRules.map((rule) => rule.meta.id), "regenerate with: npx tsc -b && node scripts/generate-policy-schema.mjs");
    for (const rule of allRules) assert.ok(ruleSchemas[rule.meta.id].description?.startsWith(rule.meta.description), rule.meta.id);
    assert.deepEqual(schema.properties?.exceptions?.items?.properties?.rule?.enum, allRules.map((rule) => rule.meta.id));
  });

  it("describes every key (the hover texts) and closes every object", () => {
    const undocumented: string[] = [];
    const open: string[] = [];
    walk(schema, "policy", (node, at) => {
      if (node.properties) {
        for (const [key, child] of Object.entries(node.properties)) if (!child.description) undocumented.push(`${at}.${key}`);
        if (node.additionalProperties !== false) open.push(at);
      }
    });
    assert.deepEqual(undocumented, []);
    assert.deepEqual(open, []);
  });

  it("is valid JSON with no $ref (inlined, so an error's schemaPath says where it was raised)", () => {
    const text = fs.readFileSync(path.join(bundledPoliciesFolder(), "policy.schema.json"), "utf8");
    assert.equal(JSON.parse(text).$schema, "http://json-schema.org/draft-07/schema#");
    assert.ok(!text.includes('"$ref"'));
  });
});

describe("bundled policies", () => {
  for (const name of ["recommended", "strict"]) {
    it(`${name}.yaml loads without a problem`, () => {
      const file = path.join(bundledPoliciesFolder(), `${name}.yaml`);
      const loaded = loadPolicy(file, workspace, memoryHost(), fs.readFileSync(file, "utf8"));
      assert.deepEqual(loaded.problems.map(describeProblem), []);
    });
  }

  it("recommended: autofix auto for the five mechanical fixes, review for every other rule", () => {
    const text = fs.readFileSync(path.join(bundledPoliciesFolder(), "recommended.yaml"), "utf8");
    const loaded = loadPolicy(path.join(workspace, "x.yaml"), workspace, memoryHost(), text);
    const automatic = allRules.map((rule) => rule.meta.id).filter((id) => loaded.policy?.decide({ ruleId: id, files: [], linesTouched: 1 }).outcome === "auto");
    assert.deepEqual(automatic.sort(), ["loose-equality", "no-var", "prefer-const", "ts-ignore", "unused-import"]);
    for (const rule of allRules) {
      const reasons = loaded.policy?.decide({ ruleId: rule.meta.id, files: [], linesTouched: 1 }).reasons ?? [];
      assert.ok(reasons[0].origin, `recommended sets autofix for ${rule.meta.id}`);
    }
  });
});
