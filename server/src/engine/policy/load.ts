/**
 * Loads a policy file and everything it extends, checks it, and compiles it. Any error makes
 * the policy broken (no compiled policy: the caller fails closed); every problem names its file,
 * line and column, and a broken extended file is also reported where it is extended.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { bundledPoliciesFolder } from "./bundledFolder";
import { compilePolicy, type CompiledPolicy } from "./compiled";
import { policyRootOf, type PolicyHost } from "./host";
import { readLayer, type ExtendsItem } from "./layer";
import type { PolicyProblem } from "./model";
import { displayPath, isAbsolutePath, resolveInsideFolder } from "./paths";
import { validatePolicyShape } from "./schema";
import { schemaProblems } from "./schemaProblems";
import { emptySettings, mergeSettings, type PolicySettings } from "./settings";
import { didYouMean } from "./suggest";
import { parsePolicySource } from "./yamlSource";

export { bundledPoliciesFolder } from "./bundledFolder";

export interface LoadedPolicy {
  file: string;
  root: string;
  /** Undefined when any problem is an error: the policy is broken. */
  policy?: CompiledPolicy;
  /** Every problem, of this file and of files it extends (each problem names its own file). */
  problems: PolicyProblem[];
}

export type BundledPolicyName = "recommended" | "strict";
export const bundledPolicyNames: readonly BundledPolicyName[] = ["recommended", "strict"];

/** A file with thousands of mistakes is one mistake repeated; past this many, one problem says how many more there are. */
export const maxProblemsPerFile = 100;

/** Longer chains are a mistake (or a generated cycle through ever-new paths). */
export const maxExtendsDepth = 16;

/** Loads and compiles a policy file; `text` overrides the disk copy (an unsaved buffer). Never throws. */
export function loadPolicy(file: string, workspaceFolder: string, host: PolicyHost, text?: string): LoadedPolicy {
  const root = policyRootOf(file);
  try {
    const content = text ?? host.readFile(file);
    if (content === undefined) {
      return { file, root, problems: [{ id: "policy-syntax", file, range: lineZero, severity: "error", message: `the policy file ${file} could not be read` }] };
    }
    const loaded = new Loader(workspaceFolder, host).load(file, content, root, []);
    const problems = atMostPerFile(maxProblemsPerFile, inReadingOrder(file, uniqueProblems(loaded.problems)));
    const broken = problems.some((problem) => problem.severity === "error") || loaded.settings === undefined;
    return { file, root, problems, ...(broken ? {} : { policy: compilePolicy({ file, root, chain: [...new Set(loaded.chain)], settings: loaded.settings! }) }) };
  } catch (error) {
    // A bug of ours must not take the editor down; it fails closed like any broken policy.
    const message = error instanceof Error ? error.message : String(error);
    return { file, root, problems: [{ id: "policy-syntax", file, range: lineZero, severity: "error", message: `the policy could not be loaded: ${message}` }] };
  }
}

/**
 * The bundled policy (`recommended` | `strict`) as if a file at `<root>/.selfheal/policy.yaml`
 * extended it: what applies where no policy file exists. Its chain lists only the bundled
 * files. Throws only when the installation itself is broken (the bundled files are missing).
 */
export function bundledPolicy(name: BundledPolicyName, root: string, host: PolicyHost): CompiledPolicy {
  const file = path.join(root, ".selfheal", "policy.yaml");
  const loaded = new Loader(root, host).load(file, `version: 1\nextends: ${name}\n`, root, []);
  const errors = loaded.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0 || loaded.settings === undefined) throw new Error(`the bundled policy '${name}' is broken: ${errors.map((problem) => `${problem.file}:${problem.range.start.line + 1}: ${problem.message}`).join("; ")}`);
  return compilePolicy({ file, root, chain: [...new Set(loaded.chain.filter((entry) => entry !== file))], settings: loaded.settings });
}

const lineZero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const bundledTexts = new Map<string, string | undefined>();

function bundledFile(name: BundledPolicyName): string {
  return path.join(bundledPoliciesFolder(), `${name}.yaml`);
}

/** Bundled policies are part of the installation, not the workspace: read from disk once, whatever the host. */
function bundledText(name: BundledPolicyName): string | undefined {
  if (!bundledTexts.has(name)) {
    try {
      bundledTexts.set(name, fs.readFileSync(bundledFile(name), "utf8"));
    } catch {
      bundledTexts.set(name, undefined);
    }
  }
  return bundledTexts.get(name);
}

interface Loaded {
  settings?: PolicySettings;
  problems: PolicyProblem[];
  chain: string[];
}

type Target = { file: string; text: string; root: string; problem?: undefined } | { problem: PolicyProblem };

class Loader {
  constructor(
    private readonly workspaceFolder: string,
    private readonly host: PolicyHost,
  ) {}

  /** `stack`: the files that extend this one, outermost first (for cycles). */
  load(file: string, text: string, root: string, stack: readonly string[]): Loaded {
    const parsed = parsePolicySource(file, text);
    if (!parsed.source) return { problems: parsed.problems, chain: [file] };
    const source = parsed.source;
    const problems = schemaProblems(validatePolicyShape(source.value), source);
    const layer = readLayer(source, root, this.workspaceFolder, this.host);
    problems.push(...layer.problems);
    let inherited = emptySettings();
    const chain = [file];
    for (const item of layer.extends) {
      const target = this.resolve(item, file, root, stack, source.valueRange(item.pointer));
      if (target.problem) {
        problems.push(target.problem);
        continue;
      }
      const extended = this.load(target.file, target.text, target.root, [...stack, file]);
      problems.push(...extended.problems);
      const errors = extended.problems.filter((problem) => problem.severity === "error" && problem.file === target.file);
      if (errors.length > 0) {
        const first = errors[0];
        problems.push({
          id: "policy-extends",
          file,
          range: source.valueRange(item.pointer),
          severity: "error",
          message: `extends '${item.name}': ${this.display(target.file)} has ${errors.length} error${errors.length === 1 ? "" : "s"}; the first, at line ${first.range.start.line + 1}: ${first.message}`,
        });
      }
      if (extended.settings) inherited = mergeSettings(inherited, extended.settings);
      chain.push(...extended.chain);
    }
    problems.push(...layer.checkAgainst(inherited));
    return { settings: mergeSettings(inherited, layer.settings), problems, chain };
  }

  private resolve(item: ExtendsItem, file: string, root: string, stack: readonly string[], range: PolicyProblem["range"]): Target {
    const fail = (id: PolicyProblem["id"], message: string): Target => ({ problem: { id, file, range, severity: "error", message } });
    const name = item.name;
    if (stack.length + 1 >= maxExtendsDepth) return fail("policy-extends", `extends '${name}': the chain of extended policies is deeper than ${maxExtendsDepth} files`);
    if ((bundledPolicyNames as readonly string[]).includes(name)) {
      const bundled = bundledFile(name as BundledPolicyName);
      const text = bundledText(name as BundledPolicyName);
      if (text === undefined) return fail("policy-extends", `extends '${name}': the bundled policy ${bundled} could not be read; the installation is incomplete`);
      if (stack.includes(bundled) || bundled === file) return fail("policy-extends", `extends '${name}' makes a cycle: ${this.cycle(stack, file, bundled)}`);
      // Bundled globs are relative to the policy that extends them.
      return { file: bundled, text, root };
    }
    const looksLikePath = name.startsWith(".") || name.includes("/") || name.includes("\\") || /\.ya?ml$/i.test(name) || isAbsolutePath(name);
    if (!looksLikePath) {
      return fail("policy-extends", `extends '${name}': no bundled policy has that name${didYouMean(name, bundledPolicyNames)} (bundled: ${bundledPolicyNames.join(", ")}; a file path starts with ./ or ../)`);
    }
    const resolved = resolveInsideFolder(name, root, this.workspaceFolder, this.host);
    if (resolved.problem !== undefined) return fail("policy-path-outside", `extends: ${resolved.problem}`);
    const target = resolved.path;
    if (stack.includes(target) || target === file) return fail("policy-extends", `extends '${name}' makes a cycle: ${this.cycle(stack, file, target)}`);
    const text = this.host.readFile(target);
    if (text === undefined) return fail("policy-extends", `extends '${name}': ${this.display(target)} does not exist or cannot be read`);
    return { file: target, text, root: policyRootOf(target) };
  }

  private cycle(stack: readonly string[], file: string, target: string): string {
    const chain = [...stack, file];
    return [...chain.slice(chain.indexOf(target) < 0 ? 0 : chain.indexOf(target)), target].map((entry) => this.display(entry)).join(" → ");
  }

  private display(file: string): string {
    return file.startsWith(bundledPoliciesFolder()) ? `bundled ${path.basename(file)}` : displayPath(file, this.workspaceFolder);
  }
}

/** Grouped by file (the loaded one first, then the extended ones as met), each file's problems top to bottom. */
function inReadingOrder(file: string, problems: PolicyProblem[]): PolicyProblem[] {
  const files = [...new Set([file, ...problems.map((problem) => problem.file)])];
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        files.indexOf(a.problem.file) - files.indexOf(b.problem.file) ||
        a.problem.range.start.line - b.problem.range.start.line ||
        a.problem.range.start.character - b.problem.range.start.character ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

function atMostPerFile(limit: number, problems: PolicyProblem[]): PolicyProblem[] {
  const counts = new Map<string, number>();
  for (const problem of problems) counts.set(problem.file, (counts.get(problem.file) ?? 0) + 1);
  const kept = new Map<string, number>();
  return problems.flatMap((problem) => {
    const index = (kept.get(problem.file) ?? 0) + 1;
    kept.set(problem.file, index);
    if (index <= limit) return [problem];
    if (index > limit + 1) return [];
    const more = (counts.get(problem.file) ?? 0) - limit;
    return [{ ...problem, message: `…and ${more} more problem${more === 1 ? "" : "s"} in this file (the first ${limit} are listed)` }];
  });
}

/** A file extended twice (a diamond) reports its problems once. */
function uniqueProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}\0${problem.range.start.line}:${problem.range.start.character}\0${problem.id}\0${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
