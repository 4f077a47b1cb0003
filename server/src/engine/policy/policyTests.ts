/**
 * Unit tests for a policy: `.selfheal/policy.test.yaml` next to `.selfheal/policy.yaml` lists
 * changes automation might propose and what the policy must decide about them, so a team can
 * refactor its policy (or bump a bundled one) and know that "billing stays human-only" still
 * holds. `selfheal policy test` loads and runs them; docs/cli.md describes the format.
 *
 * Pure: the caller loads the policies (a PolicySet) and reads the file; this module parses the
 * text and judges each case against whatever answers like a PolicySet.
 */
import * as path from "node:path";
import type { Range, SeveritySetting } from "../findings";
import { allRules } from "../rules";
import { defaultEngineSettings, effectiveSeverity, ruleOptions } from "../settings";
import { isCalendarDate } from "./layer";
import type { Decision, PolicyException, PolicyOrigin, ProposedChange, RuleConfig } from "./model";
import type { PolicySet } from "./policySet";
import { describeValue } from "./schemaProblems";
import { didYouMean } from "./suggest";
import { parsePolicySource, pointerOf, type PolicySource } from "./yamlSource";

export const policyTestFileName = ".selfheal/policy.test.yaml";

/** Stable ids of the messages about a policy test file (documented in docs/messages.md). */
export type PolicyTestMessageId =
  | "policy-test-syntax" // YAML that does not parse, or a file too large or deep to read
  | "policy-test-unknown-key" // a key the test format does not know (with "did you mean")
  | "policy-test-invalid-value" // a missing key, a wrong type, a path outside the policy root
  | "policy-test-unknown-rule"; // a rule id that no rule has

export interface PolicyTestProblem {
  id: PolicyTestMessageId;
  file: string;
  range: Range;
  severity: "error";
  message: string;
}

/** What a case's change should meet; `off` means the fix is not offered at all. */
export type ExpectedDecision = "auto" | "review" | "deny" | "off";

export interface PolicyTestExpectation {
  decision?: ExpectedDecision;
  severity?: SeveritySetting;
  /** Each listed option must have this value (other options may exist). */
  options?: Readonly<Record<string, unknown>>;
  /** Whether an exception that is active on the suite's date covers the file and the rule. */
  exception?: boolean;
  inScope?: boolean;
  /** Text the deciding reason's message must contain, e.g. "PCI". */
  reason?: string;
  /** `offered: true` without a decision: any decision but `off` (`offered: false` is read as `decision: off`). */
  offered?: true;
}

export interface PolicyTestCase {
  name: string;
  /** As written, relative to the policy root (forward slashes). */
  files: string[];
  /** Absent only for a case that checks nothing but `inScope`. */
  rule?: string;
  linesTouched: number;
  expect: PolicyTestExpectation;
  /** 0-based position of the case in the test file, for `file:line` in the report. */
  line: number;
  character: number;
}

export interface PolicyTestSuite {
  file: string;
  /** The folder the cases' paths are relative to: the one holding `.selfheal/`. */
  root: string;
  /** `YYYY-MM-DD` from the file: exceptions are judged as of that day instead of today. */
  date?: string;
  cases: PolicyTestCase[];
  /** Any problem means no case runs: a half-read suite would pass on what it skipped. */
  problems: PolicyTestProblem[];
}

/** What the runner asks of the policies; `subjectOf(policySet)` adapts a PolicySet. */
export interface PolicyTestSubject {
  decide(change: ProposedChange): Decision;
  ruleConfig(file: string, ruleId: string, fallback: { severity: SeveritySetting; options: Readonly<Record<string, unknown>> }): RuleConfig;
  scope(file: string): { inScope: boolean; origin?: PolicyOrigin };
  exceptionFor(file: string, ruleId: string): PolicyException | undefined;
}

export function subjectOf(policies: PolicySet): PolicyTestSubject {
  return {
    decide: (change) => policies.decide(change),
    ruleConfig: (file, ruleId, fallback) => policies.ruleConfig(file, ruleId, fallback),
    scope: (file) => policies.governing(file).policy.scope(file),
    exceptionFor: (file, ruleId) => policies.exceptionFor(file, ruleId),
  };
}

/** One unmet expectation, and what the policy said instead. */
export interface PolicyTestMismatch {
  /** "expected deny, got review", "expected severity off, got warning". */
  message: string;
  /** The policy lines behind the actual value: each reason of the decision, or the line that set the severity. */
  evidence: Array<{ message: string; origin?: PolicyOrigin }>;
}

export interface PolicyTestResult {
  testCase: PolicyTestCase;
  passed: boolean;
  mismatches: PolicyTestMismatch[];
  /** The decision for the case's change, when it names a rule. */
  decision?: Decision;
}

const caseKeys = ["name", "file", "files", "rule", "lines", "expect"];
const expectKeys = ["decision", "severity", "options", "exception", "inScope", "reason", "offered"];
const topKeys = ["date", "cases"];
const decisions: readonly ExpectedDecision[] = ["auto", "review", "deny", "off"];
const severities: readonly SeveritySetting[] = ["error", "warning", "info", "hint", "off"];

/** The folder a test file's paths are relative to (the same rule as for the policy next to it). */
export function policyTestRootOf(testFile: string): string {
  const folder = path.posix.dirname(testFile);
  return path.posix.basename(folder) === ".selfheal" ? path.posix.dirname(folder) : folder;
}

/** Parses and validates a test file. Never throws; every mistake is a problem at its line and column. */
export function parsePolicyTests(file: string, text: string): PolicyTestSuite {
  const root = policyTestRootOf(file);
  const parsed = parsePolicySource(file, text);
  if (!parsed.source) {
    return { file, root, cases: [], problems: parsed.problems.map((problem) => ({ id: "policy-test-syntax", file, range: problem.range, severity: "error", message: problem.message.replace(/\bpolicy file\b/g, "test file").replace(/\bthe policy\b/g, "the test file") })) };
  }
  const reader = new SuiteReader(parsed.source);
  const { date, cases } = reader.read();
  const problems = reader.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { file, root, ...(date === undefined ? {} : { date }), cases, problems };
}

class SuiteReader {
  readonly problems: PolicyTestProblem[] = [];
  private readonly ruleIds = allRules.map((rule) => rule.meta.id);

  constructor(private readonly source: PolicySource) {}

  read(): { date?: string; cases: PolicyTestCase[] } {
    const top = this.source.value;
    if (!isMapping(top)) {
      this.report("policy-test-invalid-value", "", `the test file must be a mapping with 'cases:' (got ${describeValue(top)})`);
      return { cases: [] };
    }
    this.unknownKeys([], top, topKeys, "at the top level");
    const date = this.readDate(top.date);
    if (!("cases" in top)) {
      this.report("policy-test-invalid-value", "", "the test file is missing the required key 'cases' (a list of cases)");
      return { date, cases: [] };
    }
    if (!Array.isArray(top.cases) || top.cases.length === 0) {
      this.report("policy-test-invalid-value", pointerOf(["cases"]), `cases must be a non-empty list (got ${describeValue(top.cases)})`);
      return { date, cases: [] };
    }
    const cases = top.cases.flatMap((item, index) => {
      const testCase = this.readCase(item, index);
      return testCase ? [testCase] : [];
    });
    this.duplicateNames(cases);
    return { date, cases };
  }

  private readDate(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    // YAML 1.2's core schema keeps 2025-01-31 a string; a timestamp schema would make it a Date.
    if (typeof value !== "string" || !isCalendarDate(value)) {
      this.report("policy-test-invalid-value", pointerOf(["date"]), `date must be a day written YYYY-MM-DD (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  private readCase(item: unknown, index: number): PolicyTestCase | undefined {
    const at = (...segments: (string | number)[]) => pointerOf(["cases", index, ...segments]);
    const where = `cases[${index}]`;
    if (!isMapping(item)) {
      this.report("policy-test-invalid-value", at(), `${where} must be a mapping with file, rule and expect (got ${describeValue(item)})`);
      return undefined;
    }
    const before = this.problems.length;
    this.unknownKeys(["cases", index], item, caseKeys, `in ${where}`);

    const name = item.name === undefined ? undefined : this.readString(item.name, at("name"), `${where}.name`);
    const files = this.readFiles(item, index);
    const rule = this.readRule(item.rule, at("rule"), `${where}.rule`);
    let linesTouched = 1;
    if (item.lines !== undefined) {
      if (typeof item.lines !== "number" || !Number.isInteger(item.lines) || item.lines < 0) this.report("policy-test-invalid-value", at("lines"), `${where}.lines must be an integer ≥ 0: the lines the change adds plus those it removes (got ${describeValue(item.lines)})`);
      else linesTouched = item.lines;
    }
    const expect = this.readExpect(item.expect, index);
    if (expect && rule === undefined && item.rule === undefined && Object.keys(expect).some((key) => key !== "inScope")) {
      this.report("policy-test-invalid-value", at(), `${where} is missing the required key 'rule': only an expectation of inScope alone needs no rule`);
    }
    if (this.problems.length > before || !files || !expect) return undefined;
    const position = this.source.valueRange(at()).start;
    return { name: name ?? defaultName(files, rule, linesTouched, expect), files, rule, linesTouched, expect, line: position.line, character: position.character };
  }

  private readFiles(item: Record<string, unknown>, index: number): string[] | undefined {
    const at = (...segments: (string | number)[]) => pointerOf(["cases", index, ...segments]);
    const where = `cases[${index}]`;
    if (item.file !== undefined && item.files !== undefined) {
      this.report("policy-test-invalid-value", at("files"), `${where} has both 'file' and 'files'; keep one`);
      return undefined;
    }
    if (item.file === undefined && item.files === undefined) {
      this.report("policy-test-invalid-value", at(), `${where} is missing the required key 'file' (or 'files': a list), relative to the policy root`);
      return undefined;
    }
    if (item.file !== undefined) {
      const file = this.readPath(item.file, at("file"), `${where}.file`);
      return file === undefined ? undefined : [file];
    }
    if (!Array.isArray(item.files) || item.files.length === 0) {
      this.report("policy-test-invalid-value", at("files"), `${where}.files must be a non-empty list of paths (got ${describeValue(item.files)})`);
      return undefined;
    }
    const files = item.files.map((value, fileIndex) => this.readPath(value, at("files", fileIndex), `${where}.files[${fileIndex}]`));
    return files.every((file) => file !== undefined) ? (files as string[]) : undefined;
  }

  private readPath(value: unknown, pointer: string, where: string): string | undefined {
    const text = this.readString(value, pointer, where);
    if (text === undefined) return undefined;
    const normalized = path.posix.normalize(text.replace(/\\/g, "/"));
    if (path.posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized) || normalized === ".." || normalized.startsWith("../")) {
      this.report("policy-test-invalid-value", pointer, `${where} must be a path relative to the policy root, inside it (got ${describeValue(value)})`);
      return undefined;
    }
    return normalized;
  }

  private readRule(value: unknown, pointer: string, where: string): string | undefined {
    if (value === undefined) return undefined;
    const id = this.readString(value, pointer, where);
    if (id === undefined) return undefined;
    if (!this.ruleIds.includes(id)) {
      this.report("policy-test-unknown-rule", pointer, `unknown rule '${id}' in ${where}${didYouMean(id, this.ruleIds) || ` (rules: ${this.ruleIds.join(", ")})`}`);
      return undefined;
    }
    return id;
  }

  private readExpect(value: unknown, index: number): PolicyTestExpectation | undefined {
    const at = (...segments: string[]) => pointerOf(["cases", index, "expect", ...segments]);
    const where = `cases[${index}].expect`;
    if (value === undefined) {
      this.report("policy-test-invalid-value", pointerOf(["cases", index]), `cases[${index}] is missing the required key 'expect' (auto, review, deny, off, or a mapping)`);
      return undefined;
    }
    if (typeof value === "string") {
      if (decisions.includes(value as ExpectedDecision)) return { decision: value as ExpectedDecision };
      this.report("policy-test-invalid-value", at(), `${where} must be one of ${decisions.join(", ")}, or a mapping of ${expectKeys.filter((key) => key !== "offered").join(", ")} (got ${describeValue(value)})`);
      return undefined;
    }
    if (!isMapping(value)) {
      this.report("policy-test-invalid-value", at(), `${where} must be one of ${decisions.join(", ")}, or a mapping (got ${describeValue(value)})`);
      return undefined;
    }
    const before = this.problems.length;
    this.unknownKeys(["cases", index, "expect"], value, expectKeys, `in ${where}`);
    const expect: PolicyTestExpectation = {};
    if (value.decision !== undefined) {
      if (decisions.includes(value.decision as ExpectedDecision)) expect.decision = value.decision as ExpectedDecision;
      else this.report("policy-test-invalid-value", at("decision"), `${where}.decision must be one of ${decisions.join(", ")} (got ${describeValue(value.decision)})`);
    }
    if (value.offered !== undefined) {
      // `offered: false` is the long spelling of `decision: off`; `offered: true` means "anything but off".
      if (typeof value.offered !== "boolean") this.report("policy-test-invalid-value", at("offered"), `${where}.offered must be true or false (got ${describeValue(value.offered)})`);
      else if (value.offered === false && expect.decision !== undefined && expect.decision !== "off") this.report("policy-test-invalid-value", at("offered"), `${where}: offered: false contradicts decision: ${expect.decision}`);
      else if (value.offered === true && expect.decision === "off") this.report("policy-test-invalid-value", at("offered"), `${where}: offered: true contradicts decision: off`);
    }
    if (value.severity !== undefined) {
      if (severities.includes(value.severity as SeveritySetting)) expect.severity = value.severity as SeveritySetting;
      else this.report("policy-test-invalid-value", at("severity"), `${where}.severity must be one of ${severities.join(", ")} (got ${describeValue(value.severity)})`);
    }
    if (value.options !== undefined) {
      if (isMapping(value.options)) expect.options = value.options;
      else this.report("policy-test-invalid-value", at("options"), `${where}.options must be a mapping of option: value (got ${describeValue(value.options)})`);
    }
    for (const key of ["exception", "inScope"] as const) {
      if (value[key] === undefined) continue;
      if (typeof value[key] === "boolean") expect[key] = value[key];
      else this.report("policy-test-invalid-value", at(key), `${where}.${key} must be true or false (got ${describeValue(value[key])})`);
    }
    if (value.reason !== undefined) expect.reason = this.readString(value.reason, at("reason"), `${where}.reason`);
    if (this.problems.length > before) return undefined;
    if (value.offered === false) expect.decision = "off";
    if (value.offered === true && expect.decision === undefined) expect.offered = true;
    if (Object.keys(expect).length === 0) {
      this.report("policy-test-invalid-value", at(), `${where} expects nothing: give at least one of ${expectKeys.filter((key) => key !== "offered").join(", ")}`);
      return undefined;
    }
    return expect;
  }

  private readString(value: unknown, pointer: string, where: string): string | undefined {
    if (typeof value === "string" && value.trim() !== "") return value;
    this.report("policy-test-invalid-value", pointer, `${where} must be a non-empty string (got ${describeValue(value)})`);
    return undefined;
  }

  private unknownKeys(segments: (string | number)[], mapping: Record<string, unknown>, allowed: readonly string[], place: string): void {
    for (const key of Object.keys(mapping)) {
      if (allowed.includes(key)) continue;
      const pointer = pointerOf([...segments, key]);
      this.problems.push({
        id: "policy-test-unknown-key",
        file: this.source.file,
        range: this.source.keyRange(pointer) ?? this.source.headRange(pointer),
        severity: "error",
        message: `unknown key '${key}' ${place}${didYouMean(key, allowed) || ` (allowed: ${allowed.join(", ")})`}`,
      });
    }
  }

  private duplicateNames(cases: PolicyTestCase[]): void {
    const seen = new Set<string>();
    cases.forEach((testCase) => {
      if (!seen.has(testCase.name)) return void seen.add(testCase.name);
      this.problems.push({ id: "policy-test-invalid-value", file: this.source.file, range: { start: { line: testCase.line, character: testCase.character }, end: { line: testCase.line, character: testCase.character } }, severity: "error", message: `two cases are named '${testCase.name}': a failure must name exactly one case` });
    });
  }

  private report(id: PolicyTestMessageId, pointer: string, message: string): void {
    // A one-line value is underlined whole; a block (a case, an expect mapping) only where it starts.
    const value = this.source.valueRange(pointer);
    const range = pointer === "" || value.start.line === value.end.line ? value : this.source.headRange(pointer);
    this.problems.push({ id, file: this.source.file, range, severity: "error", message });
  }
}

/** Judges every case of a suite that has no problems. Paths resolve against the suite's root. */
export function runPolicyTests(suite: PolicyTestSuite, subject: PolicyTestSubject): PolicyTestResult[] {
  if (suite.problems.length > 0) return [];
  return suite.cases.map((testCase) => runCase(testCase, suite.root, subject));
}

function runCase(testCase: PolicyTestCase, root: string, subject: PolicyTestSubject): PolicyTestResult {
  const files = testCase.files.map((file) => path.posix.join(root, file));
  const { expect } = testCase;
  const mismatches: PolicyTestMismatch[] = [];
  if (expect.inScope !== undefined) {
    for (const file of files) {
      const scope = subject.scope(file);
      if (scope.inScope === expect.inScope) continue;
      const which = files.length > 1 ? ` for ${path.posix.relative(root, file)}` : "";
      const evidence = scope.origin ? [{ message: scope.origin.key, origin: scope.origin }] : [{ message: scope.inScope ? "no include list, and no exclude glob matches" : "outside the policy's folder" }];
      mismatches.push({ message: `expected ${expect.inScope ? "in scope" : "out of scope"}, got ${scope.inScope ? "in scope" : "out of scope"}${which}`, evidence });
    }
  }
  let decision: Decision | undefined;
  if (testCase.rule !== undefined) {
    const ruleId = testCase.rule;
    decision = subject.decide({ ruleId, files, linesTouched: testCase.linesTouched });
    const reasons = decision.reasons.map(({ message, origin }) => (origin ? { message, origin } : { message }));
    const got: ExpectedDecision = decision.offered ? decision.outcome : "off";
    if (expect.decision !== undefined && got !== expect.decision) mismatches.push({ message: `expected ${expect.decision}, got ${got}`, evidence: reasons });
    if (expect.offered && got === "off") mismatches.push({ message: "expected the fix to be offered, got off", evidence: reasons });
    if (expect.reason !== undefined && !decision.reasons[0].message.includes(expect.reason)) mismatches.push({ message: `expected the deciding reason to mention '${expect.reason}'`, evidence: reasons.slice(0, 1) });
    if (expect.severity !== undefined || expect.options !== undefined) {
      const config = subject.ruleConfig(files[0], ruleId, ruleFallback(ruleId));
      if (expect.severity !== undefined && config.severity !== expect.severity) {
        mismatches.push({ message: `expected severity ${expect.severity}, got ${config.severity}`, evidence: [config.severityOrigin ? { message: config.severityOrigin.key, origin: config.severityOrigin } : { message: "the rule's default" }] });
      }
      for (const [option, value] of Object.entries(expect.options ?? {})) {
        const actual = Object.prototype.hasOwnProperty.call(config.options, option) ? config.options[option] : undefined;
        if (JSON.stringify(actual) === JSON.stringify(value)) continue;
        const evidence = config.optionsOrigin ? [{ message: config.optionsOrigin.key, origin: config.optionsOrigin }] : [{ message: "no policy sets options for this rule" }];
        mismatches.push({ message: `expected option ${option} ${JSON.stringify(value)}, got ${actual === undefined ? "unset" : JSON.stringify(actual)}`, evidence });
      }
    }
    if (expect.exception !== undefined) {
      for (const file of files) {
        const exception = subject.exceptionFor(file, ruleId);
        if ((exception !== undefined) === expect.exception) continue;
        const which = files.length > 1 ? ` for ${path.posix.relative(root, file)}` : "";
        if (exception) mismatches.push({ message: `expected no active exception${which}, got one`, evidence: [{ message: `${exception.reason} (owner: ${exception.owner}, until ${exception.expires})`, origin: exception.origin }] });
        else mismatches.push({ message: `expected an active exception${which}, got none`, evidence: [] });
      }
    }
  }
  return { testCase, passed: mismatches.length === 0, mismatches, decision };
}

/** What a rule does where no policy speaks: the same fallback the CLI's engine uses (no user settings). */
export function ruleFallback(ruleId: string): { severity: SeveritySetting; options: Readonly<Record<string, unknown>> } {
  const meta = allRules.find((rule) => rule.meta.id === ruleId)!.meta;
  return { severity: effectiveSeverity(defaultEngineSettings, ruleId, meta.defaultSeverity), options: ruleOptions(defaultEngineSettings, ruleId) };
}

/** "src/app.ts prefer-const (300 lines) → deny": enough to find the case in the file. */
function defaultName(files: readonly string[], rule: string | undefined, linesTouched: number, expect: PolicyTestExpectation): string {
  const { decision, ...others } = expect;
  const expected = [
    ...(decision === undefined ? [] : [decision]),
    ...Object.entries(others)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`),
  ].join(", ");
  return `${files.join(", ")}${rule ? ` ${rule}` : ""}${linesTouched === 1 ? "" : ` (${linesTouched} lines)`} → ${expected}`;
}

/** "expected deny, got review (reasons: src/billing/** is protected … (.selfheal/policy.yaml:12))": a failed case in one line. */
export function describeMismatch(mismatch: PolicyTestMismatch, displayOrigin: (origin: PolicyOrigin) => string): string {
  if (mismatch.evidence.length === 0) return mismatch.message;
  const evidence = mismatch.evidence.map(({ message, origin }) => (origin ? `${message} (${displayOrigin(origin)})` : message));
  return `${mismatch.message} (reasons: ${evidence.join("; ")})`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
