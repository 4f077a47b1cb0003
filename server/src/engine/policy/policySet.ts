/**
 * Every policy of a workspace, and the answer to "which policy governs this file?": the nearest
 * `.selfheal/policy.yaml` above it, or the bundled `recommended` policy where there is none.
 *
 * A policy whose current text is broken keeps governing through its last good version (analysis
 * goes on), but `decide` fails closed: no automated change is allowed until it is fixed.
 */
import * as path from "node:path";
import type { SeveritySetting } from "../findings";
import type { CompiledPolicy } from "./compiled";
import { nodePolicyHost, policyRootOf, type PolicyHost } from "./host";
import { bundledPolicy, loadPolicy, type LoadedPolicy } from "./load";
import { outcomeRank, type Decision, type DecisionReason, type PolicyException, type PolicyOrigin, type PolicyProblem, type ProposedChange, type RuleConfig } from "./model";

const policySuffix = "/.selfheal/policy.yaml";

export function isPolicyFile(file: string): boolean {
  return file.endsWith(policySuffix);
}

export interface Governing {
  /** Undefined where no policy file applies: the bundled `recommended` policy governs. */
  policyFile?: string;
  policy: CompiledPolicy;
  /** The governing file's first error: it is broken, so nothing automated is allowed. */
  broken?: PolicyProblem;
}

interface KnownPolicy {
  file: string;
  root: string;
  workspaceFolder: string;
  current: LoadedPolicy;
  lastGood?: CompiledPolicy;
}

export class PolicySet {
  /** Workspace trust: commands from workspace files (`verify.command`) run only when true. */
  trusted = false;
  private folders: string[] = [];
  private readonly known = new Map<string, KnownPolicy>();
  /** Unsaved editor buffers of policy files: they get diagnostics, but govern only once saved. */
  private readonly buffers = new Map<string, { text: string; problems: PolicyProblem[] }>();
  private readonly bundled = new Map<string, CompiledPolicy>();
  /** Policy roots, deepest first, so the first that contains a file is the nearest. */
  private rootsDeepestFirst: KnownPolicy[] = [];

  constructor(private readonly host: PolicyHost = nodePolicyHost) {}

  /** Replaces everything known with the policy files discovered in these folders. */
  load(folders: readonly string[], policyFiles: readonly string[]): void {
    this.folders = [...folders];
    const previous = new Map(this.known);
    this.known.clear();
    this.bundled.clear();
    for (const file of policyFiles) this.loadOne(file, previous.get(file)?.lastGood);
    this.sortRoots();
  }

  /**
   * A policy file changed on disk (saved, created or deleted): reload it and every policy whose
   * `extends` chain includes it (a shared base file).
   */
  reload(file: string): void {
    const affected = [...this.known.values()].filter((known) => known.file === file || known.current.policy?.chain.includes(file) || mentionsFile(known.current, file));
    for (const known of affected) this.loadOne(known.file, known.lastGood);
    if (isPolicyFile(file) && !this.known.has(file)) this.loadOne(file, undefined);
    this.sortRoots();
  }

  /** An open buffer of a policy file (undefined: closed). It is validated as typed; it governs once saved. */
  setBuffer(file: string, text: string | undefined): void {
    if (text === undefined) {
      this.buffers.delete(file);
      return;
    }
    const loaded = loadPolicy(file, this.workspaceFolderOf(file), this.host, text);
    this.buffers.set(file, { text, problems: loaded.problems.filter((problem) => problem.file === file) });
  }

  policyFiles(): string[] {
    return [...this.known.keys()].sort();
  }

  /** Files that can carry policy problems: policy files, files they extend, open policy buffers. */
  filesWithProblems(): string[] {
    const files = new Set<string>([...this.known.keys(), ...this.buffers.keys()]);
    for (const known of this.known.values()) for (const problem of known.current.problems) files.add(problem.file);
    return [...files].sort();
  }

  /** Problems to show in `file`: an open buffer's own, else those found loading the policies from disk. */
  problemsOf(file: string): PolicyProblem[] {
    const buffer = this.buffers.get(file);
    if (buffer) return buffer.problems;
    const seen = new Set<string>();
    const problems: PolicyProblem[] = [];
    for (const known of this.known.values()) {
      for (const problem of known.current.problems) {
        const key = `${problem.file}:${problem.range.start.line}:${problem.range.start.character}:${problem.id}:${problem.message}`;
        if (problem.file === file && !seen.has(key)) {
          seen.add(key);
          problems.push(problem);
        }
      }
    }
    return problems;
  }

  /** Broken policy files with their first error, for the status. */
  brokenPolicies(): { file: string; problem: PolicyProblem }[] {
    return [...this.known.values()].flatMap((known) => {
      const problem = firstError(known.current);
      return problem ? [{ file: known.file, problem }] : [];
    });
  }

  governing(file: string): Governing {
    const known = this.rootsDeepestFirst.find((candidate) => isUnder(file, candidate.root));
    if (!known) return { policy: this.bundledFor(file) };
    return { policyFile: known.file, policy: known.lastGood ?? this.bundledFor(file), broken: firstError(known.current) };
  }

  ruleConfig(file: string, ruleId: string, fallback: { severity: SeveritySetting; options: Readonly<Record<string, unknown>> }): RuleConfig {
    return this.governing(file).policy.ruleConfig(file, ruleId, fallback);
  }

  inScope(file: string): boolean {
    return this.governing(file).policy.scope(file).inScope;
  }

  exceptionFor(file: string, ruleId: string): PolicyException | undefined {
    return this.governing(file).policy.exceptionFor(file, ruleId, this.host.now());
  }

  /**
   * The decision for a change, over every policy that governs one of its files: the most
   * restrictive outcome, with every reason. Each policy judges the files it governs.
   */
  decide(change: ProposedChange): Decision {
    const byPolicy = new Map<string, { governing: Governing; files: string[] }>();
    for (const file of change.files) {
      const governing = this.governing(file);
      const key = governing.policyFile ?? `bundled:${governing.policy.root}`;
      const group = byPolicy.get(key) ?? { governing, files: [] };
      group.files.push(file);
      byPolicy.set(key, group);
    }
    const reasons: DecisionReason[] = [];
    let offered = true;
    for (const { governing, files } of byPolicy.values()) {
      if (governing.broken) reasons.push(brokenReason(governing.broken, this.displayPath(governing.broken.file)));
      const decision = governing.policy.decide({ ...change, files });
      offered &&= decision.offered;
      reasons.push(...decision.reasons);
    }
    if (reasons.length === 0) reasons.push({ outcome: "review", message: "the change touches no file: nothing to decide, so a human reviews it" });
    // Stable sort: the most restrictive first, each policy's own order kept within an outcome.
    reasons.sort((a, b) => outcomeRank[b.outcome] - outcomeRank[a.outcome]);
    return { outcome: reasons[0].outcome, offered, reasons };
  }

  /** The policy's `verify.command` for a file, and whether it may run here. */
  verifyCommand(file: string): { command?: { text: string; origin: PolicyOrigin }; willRun: boolean; reason?: string } {
    const command = this.governing(file).policy.verify.command;
    if (!command) return { willRun: false };
    if (this.trusted) return { command, willRun: true };
    return { command, willRun: false, reason: "this workspace is not trusted" };
  }

  /** A path as people read it: relative to its workspace folder when it is inside one. */
  displayPath(file: string): string {
    const folder = this.folders.find((candidate) => isUnder(file, candidate));
    return folder ? path.posix.relative(folder, file) : file;
  }

  private loadOne(file: string, lastGood: CompiledPolicy | undefined): void {
    if (this.host.readFile(file) === undefined) {
      this.known.delete(file); // Deleted: the next policy up (or the bundled one) governs again.
      return;
    }
    const current = loadPolicy(file, this.workspaceFolderOf(file), this.host);
    this.known.set(file, { file, root: policyRootOf(file), workspaceFolder: this.workspaceFolderOf(file), current, lastGood: current.policy ?? lastGood });
  }

  private sortRoots(): void {
    this.rootsDeepestFirst = [...this.known.values()].sort((a, b) => b.root.length - a.root.length);
  }

  private workspaceFolderOf(file: string): string {
    const containing = this.folders.filter((folder) => isUnder(file, folder)).sort((a, b) => b.length - a.length);
    return containing[0] ?? policyRootOf(file);
  }

  private bundledFor(file: string): CompiledPolicy {
    const root = this.workspaceFolderOf(file);
    let policy = this.bundled.get(root);
    if (!policy) this.bundled.set(root, (policy = bundledPolicy("recommended", root, this.host)));
    return policy;
  }
}

function firstError(loaded: LoadedPolicy): PolicyProblem | undefined {
  if (loaded.policy) return undefined;
  return loaded.problems.find((problem) => problem.severity === "error") ?? loaded.problems[0];
}

function brokenReason(problem: PolicyProblem, displayPath: string): DecisionReason {
  const line = problem.range.start.line;
  return {
    outcome: "deny",
    message: `the policy ${displayPath}:${line + 1} is broken (${problem.message}): no automated change is allowed until it is fixed`,
    origin: { file: problem.file, line, character: problem.range.start.character, key: problem.id },
  };
}

function mentionsFile(loaded: LoadedPolicy, file: string): boolean {
  return loaded.problems.some((problem) => problem.file === file || problem.message.includes(file));
}

function isUnder(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder.endsWith("/") ? folder : folder + "/");
}
