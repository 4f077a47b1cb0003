// Policy benchmark: how long loading a policy takes (cold: the JSON Schema is compiled once per
// process; warm: every later load, e.g. on save) and how long one decision takes, over every file
// of a corpus and every rule. Imports the compiled engine from out/server (`npx tsc -b server`).
//   node bench/policy.mjs <corpus folder> [--decisions <n>]
// Prints one JSON object.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.join(root, "out/server/src/engine/policy");
if (!fs.existsSync(path.join(compiled, "load.js"))) {
  console.error(`bench/policy.mjs: ${compiled} is missing; run \`npx tsc -b server\` first`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { loadPolicy } = require(path.join(compiled, "load.js"));
const { nodePolicyHost } = require(path.join(compiled, "host.js"));
const { allRules } = require(path.join(root, "out/server/src/engine/rules/index.js"));

const [corpus, ...rest] = process.argv.slice(2);
const option = (name, fallback) => (rest.includes(`--${name}`) ? rest[rest.indexOf(`--${name}`) + 1] : fallback);
const decisionCount = Number(option("decisions", 200_000));

// A policy the size a team writes: extends the bundled one, a dozen rule entries with paths,
// protected folders, exceptions, limits. It lives in a temp copy of the corpus's folder layout
// (paths only: deciding reads no file).
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-policy-bench-"));
fs.mkdirSync(path.join(workspace, ".selfheal"));
const policyFile = path.join(workspace, ".selfheal/policy.yaml");
fs.writeFileSync(
  policyFile,
  `version: 1
extends: recommended
include: ["src/**"]
exclude: ["**/*.generated.ts", "**/__snapshots__/**"]
rules:
  no-explicit-any: { severity: error, autofix: review, paths: ["src/**"] }
  floating-promise: { severity: error, autofix: auto }
  prefer-const: { autofix: auto }
  console-call: { severity: warning, autofix: review, paths: ["src/**/*.ts", "!src/**/*.test.ts"] }
  complexity: { options: { maxCyclomatic: 15, maxNesting: 4 } }
  ts-ignore: { autofix: auto, paths: ["src/v4/**"] }
protected:
  - { paths: ["src/v4/core/**"], autofix: review, reason: "core: reviewed by the core team", owner: "@core" }
  - { paths: ["src/v3/**"], autofix: deny, reason: "frozen: v3 receives no automated change", owner: "@maintainers" }
exceptions:
  - { paths: ["src/v4/classic/**"], rule: no-explicit-any, reason: "migration #123", owner: "@alice", expires: 2099-12-31 }
limits: { maxFilesPerChange: 10, maxLinesPerChange: 400 }
verify: { typecheck: true, timeoutSeconds: 120 }
`,
);

const time = (action) => {
  const started = performance.now();
  const value = action();
  return { ms: performance.now() - started, value };
};

const cold = time(() => loadPolicy(policyFile, workspace, nodePolicyHost));
if (!cold.value.policy) throw new Error(`the bench policy does not load: ${JSON.stringify(cold.value.problems)}`);
const warm = [];
for (let run = 0; run < 20; run++) warm.push(time(() => loadPolicy(policyFile, workspace, nodePolicyHost)).ms);
const policy = cold.value.policy;

const files = listSources(corpus).map((file) => path.join(workspace, path.relative(corpus, file)).split(path.sep).join("/"));
const ruleIds = allRules.map((rule) => rule.meta.id);
const outcomes = { auto: 0, review: 0, deny: 0 };
// Warm the JIT, then time batches: a single call is too short for the clock.
for (let index = 0; index < 10_000; index++) policy.decide({ ruleId: ruleIds[index % ruleIds.length], files: [files[index % files.length]], linesTouched: 3 });
const batch = 1000;
const perCallUs = [];
for (let done = 0; done < decisionCount; done += batch) {
  const started = performance.now();
  for (let index = done; index < done + batch; index++) {
    const decision = policy.decide({ ruleId: ruleIds[index % ruleIds.length], files: [files[index % files.length]], linesTouched: 1 + (index % 50) });
    outcomes[decision.outcome]++;
  }
  perCallUs.push(((performance.now() - started) * 1000) / batch);
}
perCallUs.sort((a, b) => a - b);
fs.rmSync(workspace, { recursive: true, force: true });
console.log(
  JSON.stringify({
    files: files.length,
    rules: ruleIds.length,
    decisions: decisionCount,
    outcomes,
    loadColdMs: cold.ms,
    loadWarmMedianMs: warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)],
    decideMedianUs: perCallUs[Math.floor(perCallUs.length / 2)],
    decideP99BatchUs: perCallUs[Math.floor(perCallUs.length * 0.99)],
  }),
);

function listSources(folder) {
  const found = [];
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop();
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const child = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(child);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) found.push(child);
    }
  }
  return found.sort();
}
