/**
 * What the language server keeps of one API contract between comparisons, so that comparing it
 * again after an edit costs what the edit reached rather than the whole API: the baseline file
 * parsed (once per text), the current API extracted incrementally (incrementalApi.ts), and the
 * comparison program's files (comparison.ts's ComparisonCache). An API that reads as it did last
 * time (an edit inside a body) has the same changes, only placed again. The CLI compares once
 * and keeps nothing.
 */
import * as path from "node:path";
import type * as ts from "typescript";
import type { CurrentApi } from "./apiContract";
import { parseBaseline, type ApiBaseline, type LoadedBaseline } from "./baseline";
import { changesByExport, diffContracts, prepareComparison, relocateChanges, sameContract } from "./classify";
import { ComparisonCache } from "./comparison";
import type { ContractTarget } from "./contractTargets";
import { compilerOptionsKey, IncrementalApi, type IncrementalStats } from "./incrementalApi";
import type { ContractChange } from "./model";

/** What the last comparison did and what each part cost, for the server's timing log. */
export interface ComparisonTimings extends IncrementalStats {
  /** `compared`: classified; `relocated`: the API reads as last time, so the last changes were only placed again; `reused`: nothing changed. */
  diff: "compared" | "relocated" | "reused";
  diffMs: number;
  /** How many drifted exports kept their last changes (compared: the others were classified again). */
  keptExports: number;
}

export class ContractCache {
  private readonly api = new IncrementalApi();
  private readonly comparison = new ComparisonCache();
  private loaded: LoadedBaseline | undefined;
  private last: { loaded: LoadedBaseline; options: string; current: CurrentApi; changes: readonly ContractChange[] } | undefined;
  private timings: ComparisonTimings | undefined;

  get lastTimings(): ComparisonTimings | undefined {
    return this.timings;
  }

  /** The baseline file's text parsed; the same text gives the same (already parsed) baseline. */
  baseline(file: string, text: string, shown: string): LoadedBaseline {
    if (this.loaded?.file === file && this.loaded.text === text) return this.loaded;
    this.loaded = parseBaseline(file, text, shown);
    return this.loaded;
  }

  /** The current API of `target` in `program` and its changes from the baseline. */
  compare(target: ContractTarget, loaded: LoadedBaseline<ApiBaseline>, program: ts.Program): { current: CurrentApi; changes: ContractChange[] } {
    const last = this.last;
    const current = this.api.currentApi(program, target.file, target.name);
    const stats = this.api.lastStats!;
    const started = performance.now();
    // (Other compiler options may relate the same types otherwise.)
    const options = compilerOptionsKey(program.getCompilerOptions());
    if (last && last.loaded === loaded && last.options === options && (last.current === current || sameContract(last.current, current))) {
      const changes = last.current === current ? [...last.changes] : relocateChanges(last.changes, loaded, current);
      if (changes) {
        this.last = { loaded, options, current, changes };
        this.timings = { ...stats, diff: last.current === current ? "reused" : "relocated", diffMs: performance.now() - started, keptExports: 0 };
        return { current, changes: [...changes] };
      }
    }
    // An export described by the very same object as last time was read from files no edit reached since: its changes hold.
    const keptFrom = last && last.loaded === loaded && last.options === options ? last : undefined;
    const byExport = keptFrom ? changesByExport(keptFrom.changes) : undefined;
    let keptExports = 0;
    const unchanged = (name: string) => keptFrom!.current.api.exports[name] === current.api.exports[name];
    const kept = (name: string, aliasTargets: readonly string[]) => {
      if (!keptFrom || !unchanged(name) || !aliasTargets.every(unchanged)) return undefined;
      keptExports++;
      return byExport!.get(name) ?? [];
    };
    const context = { folder: target.packageRoot ?? path.posix.dirname(target.file), options: program.getCompilerOptions(), reuse: program, cache: this.comparison, kept };
    const changes = diffContracts(loaded, current, context);
    // No drift needs no checker, but the first edit that drifts would then load both bundles
    // (zod: 0.4 s): load them now, while nothing is waiting for the result.
    if (!this.comparison.previous) prepareComparison(loaded, current, context);
    this.timings = { ...stats, diff: "compared", diffMs: performance.now() - started, keptExports };
    this.last = { loaded, options, current, changes };
    return { current, changes: [...changes] };
  }
}
