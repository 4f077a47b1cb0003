/**
 * Ledgers for the provenance view's tests, made by the ledger's own code: real workspaces whose
 * changes were written and recorded with `applyRecordedChange` (so rollbacks are real), damaged
 * copies of them, ledgers whose strings are hostile, and a 100,000-entry ledger sealed with
 * `sealEntry` and written in bulk (generated at test time, never committed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { genesisHash, newEntryId, type Actor, type EntryDraft, type LedgerEntry } from "../../server/src/engine/ledger/entry";
import { entryLine, sealEntry } from "../../server/src/engine/ledger/hashing";
import { describeChange, type FileEdit } from "../../server/src/engine/ledger/patches";
import { applyRecordedChange } from "../../server/src/engine/ledger/recordedChange";
import { planRollback, rollbackDraft } from "../../server/src/engine/ledger/rollback";
import { readLedger } from "../../server/src/engine/ledger/verify";
import { ledgerLocation, type LedgerLocation } from "../../server/src/engine/ledger/workspacePaths";
import { makeTempDir, writeFiles } from "../unit/helpers/workspace";

export interface FixtureLedger {
  root: string;
  location: LedgerLocation;
  entries: LedgerEntry[];
}

export const agent: Actor = { kind: "agent", name: "selfheal 0.1.0" };
export const person: Actor = { kind: "user", name: "dana" };

const policyLine = (line: number, key: string, message: string) => ({ message, origin: { file: ".selfheal/policy.yaml", line, key } });

/** A draft for real edits, with the fields a pipeline entry has; `overrides` set the rest. */
export function draftOf(edits: FileEdit[], time: string, overrides: Partial<EntryDraft> = {}): EntryDraft {
  const change = describeChange(edits);
  return {
    id: newEntryId(),
    time,
    actor: agent,
    kind: "apply",
    rule: "no-explicit-any",
    rationale: "payload is only passed on to logger.debug, which takes unknown.",
    plan: { planId: `plan-${time}`, files: change.files.length, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved, exportedApiTouched: false, protectedPathsTouched: [] },
    impact: ["src/http/routes.ts"],
    decision: { outcome: "auto", reasons: [policyLine(6, "rules.no-explicit-any.autofix", "rules.no-explicit-any.autofix is auto")] },
    evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: 0, durationMs: 4210 }] },
    files: change.files,
    forwardPatch: change.forwardPatch,
    rollbackPatch: change.rollbackPatch,
    ...overrides,
  };
}

const logPayload = 'import { logger } from "../infra/logger";\n\nexport function logPayload(payload: any): void {\n  logger.debug("payload", payload);\n}\n';
const handler = 'export async function handle(request: Request): Promise<void> {\n  save(request);\n  let count = 1;\n  return;\n}\n';
const routes = 'import { handle } from "./handler";\n\nexport const routes = [handle];\n';

/**
 * Six entries over June 2025: applies by an agent and a person, a review decision, a contract
 * acceptance, a failed verification, and a rollback of the first change (so one entry is undone).
 */
export async function intactLedger(): Promise<FixtureLedger> {
  const root = makeTempDir();
  writeFiles(root, { "src/http/logPayload.ts": logPayload, "src/http/handler.ts": handler, "src/http/routes.ts": routes, ".selfheal/policy.yaml": "version: 1\n" });
  const location = ledgerLocation(root);
  const read = (relative: string) => fs.readFileSync(path.join(root, relative), "utf8");
  const apply = (edits: FileEdit[], time: string, overrides: Partial<EntryDraft> = {}) => applyRecordedChange(location, draftOf(edits, time, overrides), edits);

  const first = await apply([{ path: "src/http/logPayload.ts", before: logPayload, after: logPayload.replace("payload: any", "payload: unknown") }], "2025-06-01T09:00:00.000Z");
  await apply(
    [
      { path: "src/http/handler.ts", before: read("src/http/handler.ts"), after: read("src/http/handler.ts").replace("  save(request);", "  await save(request);") },
      { path: "src/http/routes.ts", before: read("src/http/routes.ts"), after: read("src/http/routes.ts") + "// reviewed\n" },
    ],
    "2025-06-02T10:30:00.000Z",
    {
      rule: "floating-promise",
      rationale: "save() returns a promise that nobody awaited: errors were lost.",
      decision: { outcome: "review", reasons: [policyLine(9, "rules.floating-promise.autofix", "rules.floating-promise.autofix is review: a person confirms each change")] },
    },
  );
  await apply([{ path: ".selfheal/contracts/public-api.json", before: null, after: '{ "version": 1 }\n' }], "2025-06-03T08:00:00.000Z", {
    kind: "contract-accept",
    rule: undefined,
    contract: "public-api",
    rationale: "The new export is additive; the baseline is accepted.",
    actor: person,
    decision: undefined,
    evidence: undefined,
  });
  await apply([{ path: "src/http/handler.ts", before: read("src/http/handler.ts"), after: read("src/http/handler.ts").replace("let count", "const count") }], "2025-06-04T12:00:00.000Z", {
    rule: "prefer-const",
    actor: person,
    rationale: "count is never reassigned.",
    evidence: { diagnosticsBefore: 0, diagnosticsAfter: 1, commands: [{ command: "npm test", exitCode: 1, durationMs: 3100 }] },
  });
  await apply([{ path: "src/http/routes.ts", before: read("src/http/routes.ts"), after: read("src/http/routes.ts").replace("[handle]", "[handle] as const") }], "2025-06-05T07:15:00.000Z", {
    rule: "prefer-as-const",
    decision: { outcome: "deny", reasons: [policyLine(12, "protected[0]", "src/http/** is protected: human changes only")] },
  });
  const { entries } = await readLedger(location.ledgerFile);
  const plan = planRollback(first, (relative) => (fs.existsSync(path.join(root, relative)) ? fs.readFileSync(path.join(root, relative)) : undefined), entries);
  if (!plan.ok) throw new Error(`fixture: the rollback does not plan: ${plan.message}`);
  await applyRecordedChange(location, rollbackDraft(first, plan.edits, person, new Date("2025-06-05T11:15:00.000Z")), plan.edits);
  return { root, location, entries: (await readLedger(location.ledgerFile)).entries };
}

export function ledgerText(fixture: FixtureLedger): string[] {
  return fs.readFileSync(fixture.location.ledgerFile, "utf8").split("\n").slice(0, -1);
}

/** The intact ledger with entry 3's rationale edited in place (its hash no longer matches). */
export async function tamperedLedger(): Promise<FixtureLedger> {
  const fixture = await intactLedger();
  const lines = ledgerText(fixture);
  lines[2] = lines[2].replace("The new export is additive", "Nothing to see here");
  fs.writeFileSync(fixture.location.ledgerFile, lines.join("\n") + "\n");
  return { ...fixture, entries: (await readLedger(fixture.location.ledgerFile)).entries };
}

/** The intact ledger and half an entry after it, without a newline (a write cut short). */
export async function tornLedger(): Promise<FixtureLedger> {
  const fixture = await intactLedger();
  const lines = ledgerText(fixture);
  fs.appendFileSync(fixture.location.ledgerFile, lines[1].slice(0, 300));
  return { ...fixture, entries: (await readLedger(fixture.location.ledgerFile)).entries };
}

/** Strings that would run script if any reached the DOM as markup; every one sets window.__pwned. */
export const hostile = {
  file: "src/<img src=x onerror=window.__pwned=1>.ts",
  rationale: '<script>window.__pwned = "rationale"</script> & "quoted" </textarea><b>bold?</b> \u2028 <!-- </script>',
  rule: "<svg onload=window.__pwned=1>",
  actor: "<iframe src=javascript:window.__pwned=1></iframe>",
  reason: '<a href="javascript:window.__pwned=1">click</a>',
  policyFile: ".selfheal/<img src=x onerror=window.__pwned=1>.yaml",
  command: "<img src=x onerror=window.__pwned=1> && npm test",
  before: '<div id="x">old</div>\n<script>window.__pwned = "diff"</script>\n',
  after: '<div id="x" onclick="window.__pwned=1">new</div>\n<script>window.__pwned = "diff"</script>\n</script><img src=x onerror=window.__pwned=1>\n',
};

/** One entry whose every string is hostile, after one ordinary entry. */
export async function hostileLedger(): Promise<FixtureLedger> {
  const root = makeTempDir();
  writeFiles(root, { [hostile.file]: hostile.before });
  const location = ledgerLocation(root);
  const edits = [{ path: hostile.file, before: hostile.before, after: hostile.after }];
  await applyRecordedChange(location, draftOf(edits, "2025-07-01T10:00:00.000Z", {
    rule: hostile.rule,
    rationale: hostile.rationale,
    actor: { kind: "agent", name: hostile.actor },
    impact: [hostile.file],
    decision: { outcome: "review", reasons: [{ message: hostile.reason, origin: { file: hostile.policyFile, line: 3, key: "<key onfocus=window.__pwned=1>" } }] },
    evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: hostile.command, exitCode: 0, durationMs: 10 }] },
  }), edits);
  return { root, location, entries: (await readLedger(location.ledgerFile)).entries };
}

/** Files in four languages whose change sits inside multi-line constructs: a doc comment, and a template string over two lines. */
export const syntaxFiles = {
  ts: {
    path: "src/report/reportLine.ts",
    before: '/**\n * Formats a report line.\n */\nexport function reportLine(name: string, count: number): string {\n  const label = `${name}:\n  ${count} items`;\n  return label.trim();\n}\n',
    after: '/**\n * Formats a report line.\n */\nexport function reportLine(name: string, count: number): string {\n  const label = `${name}:\n  ${count} entries`;\n  return label.trim() + "!"; // loud\n}\n',
  },
  yaml: { path: ".selfheal/policy.yaml", before: "version: 1\nrules:\n  prefer-const:\n    autofix: review\n", after: "version: 1\nrules:\n  prefer-const:\n    autofix: auto # trusted since June\n" },
  json: { path: "package.json", before: '{\n  "name": "demo",\n  "version": "1.0.0",\n  "private": true\n}\n', after: '{\n  "name": "demo",\n  "version": "1.1.0",\n  "private": true\n}\n' },
  markdown: { path: "README.md", before: "# Demo\n\nRun `npm test`.\n", after: "# Demo service\n\nRun `npm test`.\n" },
};

/** One entry that changes the four `syntaxFiles`. */
export async function syntaxLedger(): Promise<FixtureLedger> {
  const root = makeTempDir();
  const files = Object.values(syntaxFiles);
  writeFiles(root, Object.fromEntries(files.map((file) => [file.path, file.before])));
  const location = ledgerLocation(root);
  const edits = files.map((file) => ({ path: file.path, before: file.before, after: file.after }));
  await applyRecordedChange(location, draftOf(edits, "2025-08-01T09:00:00.000Z", { rule: "prefer-const", rationale: "One change in four languages." }), edits);
  return { root, location, entries: (await readLedger(location.ledgerFile)).entries };
}

const rules = ["no-explicit-any", "floating-promise", "prefer-const", "no-var", "loose-equality", "unused-import"];

/**
 * `count` entries of typical size (one to three files, one small hunk each, about 2.7 KB a line),
 * chained with `sealEntry` and written in batches: appending one by one would spend the time in
 * fsync. Every 50th entry is rolled back by the entry after it, so the metrics have rollbacks.
 */
export function bigLedger(count: number): FixtureLedger {
  const root = makeTempDir();
  const location = ledgerLocation(root);
  fs.mkdirSync(path.dirname(location.ledgerFile), { recursive: true });
  const pool = Array.from({ length: 60 }, (_, variant) => {
    const fileCount = variant % 20 === 0 ? 3 : variant % 7 === 0 ? 2 : 1;
    const edits = Array.from({ length: fileCount }, (_unused, index) => {
      const lines = [`import { helper${variant} } from "./helpers";`, ""];
      for (let line = 0; line < 58; line++) lines.push(`export const step${variant}_${index}_${line} = (input: any) => helper${variant}(input, ${line});`);
      const before = lines.join("\n") + "\n";
      const target = `step${variant}_${index}_${(variant * 7 + index) % 58} = (input: any)`;
      return { path: `src/feature${variant % 12}/module${index}.ts`, before, after: before.replace(target, target.replace("any", "unknown")) };
    });
    return describeChange(edits);
  });
  const fd = fs.openSync(location.ledgerFile, "w");
  const start = Date.parse("2025-01-01T00:00:00Z");
  let prev = genesisHash;
  let batch: string[] = [];
  let lastId = "";
  for (let seq = 1; seq <= count; seq++) {
    const change = pool[seq % pool.length];
    const rule = rules[seq % rules.length];
    const undo = seq % 50 === 1 && seq > 1;
    const draft: EntryDraft = {
      id: newEntryId(),
      time: new Date(start + seq * 60_000).toISOString(),
      actor: seq % 4 === 0 ? person : agent,
      kind: undo ? "rollback" : "apply",
      rule,
      rationale: `Fix ${rule} (change ${seq}): the value is only passed on, so unknown keeps every caller type-safe.`,
      plan: { planId: `plan-${seq}`, files: change.files.length, linesAdded: change.linesAdded, linesRemoved: change.linesRemoved, exportedApiTouched: seq % 9 === 0, protectedPathsTouched: [] },
      impact: change.files.map((file) => file.path.replace("module", "consumer")),
      decision: { outcome: seq % 6 === 0 ? "review" : "auto", reasons: [policyLine(7 + (seq % 5), `rules.${rule}.autofix`, `rules.${rule}.autofix is auto`)] },
      evidence: { diagnosticsBefore: 0, diagnosticsAfter: 0, commands: [{ command: "npm test", exitCode: seq % 97 === 0 ? 1 : 0, durationMs: 4000 + (seq % 1000) }] },
      files: change.files,
      forwardPatch: change.forwardPatch,
      rollbackPatch: change.rollbackPatch,
      ...(undo ? { undoes: lastId } : {}),
    };
    const entry = sealEntry(draft, seq, prev);
    prev = entry.predicate.chain.hash;
    lastId = entry.predicate.id;
    batch.push(entryLine(entry));
    if (batch.length === 1000) {
      fs.writeSync(fd, batch.join(""));
      batch = [];
    }
  }
  fs.writeSync(fd, batch.join(""));
  fs.closeSync(fd);
  return { root, location, entries: [] };
}
