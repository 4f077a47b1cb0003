/**
 * An in-memory workspace for policy tests: files by absolute path, a fixed clock, and real-path
 * resolution that knows which folders exist (no symbolic links; the path-safety tests that need
 * links use a real temp folder and nodePolicyHost).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { CompiledPolicy } from "../../../server/src/engine/policy/compiled";
import type { PolicyHost } from "../../../server/src/engine/policy/host";
import { loadPolicy, type LoadedPolicy } from "../../../server/src/engine/policy/load";
import type { PolicyProblem } from "../../../server/src/engine/policy/model";

export const workspace = path.resolve("/ws");
export const policyFile = path.join(workspace, ".selfheal", "policy.yaml");
export const fixedNow = new Date("2026-06-15T12:00:00Z");

export function at(relative: string): string {
  return path.join(workspace, relative);
}

export function memoryHost(files: Record<string, string> = {}, now: Date = fixedNow): PolicyHost {
  const absolute = new Map(Object.entries(files).map(([file, text]) => [path.isAbsolute(file) ? file : at(file), text]));
  const exists = (file: string) => absolute.has(file) || [...absolute.keys()].some((known) => known.startsWith(file + path.sep)) || file === workspace;
  return {
    readFile: (file) => absolute.get(file),
    realpath: (file) => (exists(file) ? file : undefined),
    now: () => now,
  };
}

export function lines(...text: string[]): string {
  return text.join("\n") + "\n";
}

/** Loads `text` as /ws/.selfheal/policy.yaml with the other files (workspace-relative) beside it. */
export function load(text: string, files: Record<string, string> = {}, now?: Date): LoadedPolicy {
  return loadPolicy(policyFile, workspace, memoryHost(files, now), text);
}

/** The compiled policy; fails the test, listing the problems, when the policy is broken. */
export function compile(text: string, files: Record<string, string> = {}, now?: Date): CompiledPolicy {
  const loaded = load(text, files, now);
  assert.ok(loaded.policy, `the policy should load, but: ${loaded.problems.map(describeProblem).join("; ")}`);
  return loaded.policy;
}

/** `id line:column-line:column message` with 1-based positions, as a person reads it. */
export function describeProblem(problem: PolicyProblem): string {
  const { start, end } = problem.range;
  return `${problem.id} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${problem.message}`;
}

/** The one problem with this id (fails when there is none or more than one). */
export function onlyProblem(loaded: LoadedPolicy, id: PolicyProblem["id"]): PolicyProblem {
  const matching = loaded.problems.filter((problem) => problem.id === id);
  assert.equal(matching.length, 1, `expected one ${id}, got: ${loaded.problems.map(describeProblem).join("; ") || "no problems"}`);
  return matching[0];
}

/** Asserts the problem's 1-based start line and column, and its exact message. */
export function assertProblem(problem: PolicyProblem, line: number, column: number, message: string, endColumn?: number): void {
  assert.equal(problem.message, message);
  assert.deepEqual([problem.range.start.line + 1, problem.range.start.character + 1], [line, column], `position of: ${problem.message}`);
  if (endColumn !== undefined) assert.equal(problem.range.end.character + 1, endColumn, `end column of: ${problem.message}`);
}

/** The 0-based line of the first line of `text` containing `needle`: origins are checked against the file, not against magic numbers. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `'${needle}' is not in the text`);
  return index;
}
