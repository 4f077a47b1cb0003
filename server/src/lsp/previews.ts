/**
 * The texts behind the preview diff editors: a planned fix's files before and after it and what
 * its rollback patch gives back, or a ledger entry's files reconstructed from the disk and its
 * patches. The extension shows them as `selfheal-preview:` documents in `vscode.diff`; nothing
 * here writes anything.
 */
import * as path from "node:path";
import { expectedNow, type ChangePlan } from "../engine/agents/changePlan";
import type { Engine } from "../engine/analysis/engine";
import type { FileChange } from "../engine/ledger/entry";
import { sha256Hex } from "../engine/ledger/hashing";
import { applyFilePatch, decodeText, splitPatch } from "../engine/ledger/patches";
import { planRollback } from "../engine/ledger/rollback";
import { resolveInside, type LedgerLocation } from "../engine/ledger/workspacePaths";
import type { PreviewContentParams, PreviewSummary, PreviewTarget } from "../protocol/customMessages";
import { readBytes } from "./diskFiles";
import { EditorError } from "./editorMessages";
import { findEntry, type FoundEntry } from "./ledgers";
import { planForFix, planForFixAll, type VersionOf } from "./planResolution";
import { pathToUri, uriToPath } from "./uris";

/** A diff editor asks for both sides at once: the plan is made once for them, and again only when the text changed. */
const cachedPlans = 8;

export class Previews {
  private readonly plans = new Map<string, ChangePlan>();

  constructor(
    private readonly engine: Engine,
    private readonly versionOf: VersionOf,
    private readonly ledgers: () => LedgerLocation[],
  ) {}

  async summary(target: PreviewTarget): Promise<PreviewSummary> {
    if (target.kind === "entry") {
      const { entry, location } = await this.entryOf(target);
      const { chain, kind, rule, contract, forwardPatch, rollbackPatch, files } = entry.predicate;
      return {
        title: `ledger entry ${chain.seq}: ${kind}${(rule ?? contract) ? ` ${rule ?? contract}` : ""}`,
        files: files.map((file) => ({ path: file.path, uri: pathToUri(path.join(location.root, file.path)) })),
        forwardPatch,
        rollbackPatch,
      };
    }
    const plan = this.planOf(target);
    return { title: plan.title, files: plan.files.map((file) => ({ path: file.relativePath, uri: pathToUri(file.path) })), forwardPatch: plan.forwardPatch, rollbackPatch: plan.rollbackPatch };
  }

  async content({ target, file, side }: PreviewContentParams): Promise<string> {
    if (target.kind === "entry") return this.entryContent(await this.entryOf(target), file, side);
    const plan = this.planOf(target);
    const planned = plan.files.find((candidate) => candidate.relativePath === file);
    if (!planned) throw new EditorError("editor-preview-unavailable", `"${plan.title}" does not change ${file}`);
    switch (side) {
      case "before":
      case "current":
        return planned.before;
      case "after":
        return planned.after;
      case "restored": {
        // The rollback patch applied to the fixed text: the reader sees that it gives back exactly the text before.
        const patch = splitPatch(plan.rollbackPatch).get(file);
        const restored = patch ? applyFilePatch(planned.after, patch) : ({ ok: true, text: planned.after } as const);
        if (!restored.ok) throw new EditorError("editor-preview-unavailable", `the rollback patch of "${plan.title}" does not apply to ${file} (hunk ${restored.hunk + 1} ${restored.header})`);
        return restored.text;
      }
    }
  }

  private planOf(target: Exclude<PreviewTarget, { kind: "entry" }>): ChangePlan {
    const key = JSON.stringify(target);
    const cached = this.plans.get(key);
    if (cached && cached.files.every((file) => this.engine.workspace.documents.read(file.path) === expectedNow(file))) return cached;
    const plan = target.kind === "fix" ? planForFix(this.engine, this.versionOf, target.fix) : planForFixAll(this.engine, this.versionOf, target.fixAll);
    this.plans.delete(key);
    this.plans.set(key, plan);
    while (this.plans.size > cachedPlans) this.plans.delete(this.plans.keys().next().value as string);
    return plan;
  }

  private entryOf(target: Extract<PreviewTarget, { kind: "entry" }>): Promise<FoundEntry> {
    const folder = target.entry.folder === undefined ? undefined : uriToPath(target.entry.folder);
    return findEntry(this.ledgers(), target.entry.entryId, folder);
  }

  /**
   * The ledger keeps patches and hashes, not whole files, so an entry's sides are rebuilt from the
   * file as it is now: left as the entry left it (undo with the rollback patch), back as before
   * (redo with the forward patch), or edited since (undo around the later edits, if that fits).
   */
  private entryContent({ entry, location, contents }: FoundEntry, file: string, side: PreviewContentParams["side"]): string {
    const record = entry.predicate.files.find((candidate) => candidate.path === file);
    if (!record) throw new EditorError("editor-preview-unavailable", `ledger entry ${entry.predicate.chain.seq} does not change ${file}`);
    const bytes = readBytes(resolveInside(location.root, file));
    const current = bytes === undefined ? "" : decodeText(bytes, file);
    if (side === "current") return current;
    if (side === "restored") {
      const rollback = planRollback(entry, (relative) => readBytes(resolveInside(location.root, relative)), contents.entries);
      if (!rollback.ok) throw new EditorError("editor-preview-unavailable", rollback.message);
      return rollback.edits.find((edit) => edit.path === file)?.after ?? "";
    }
    const { before, after } = reconstruct(record, bytes === undefined ? null : sha256Hex(bytes), current, entry.predicate.forwardPatch, entry.predicate.rollbackPatch, entry.predicate.chain.seq);
    return side === "before" ? before : after;
  }
}

function reconstruct(record: FileChange, currentHash: string | null, current: string, forwardPatch: string, rollbackPatch: string, seq: number): { before: string; after: string } {
  const apply = (patchText: string, text: string, what: string) => {
    const patch = splitPatch(patchText).get(record.path);
    if (!patch) return text;
    const result = applyFilePatch(text, patch);
    if (!result.ok) {
      throw new EditorError("editor-preview-unavailable", `${record.path} changed since ledger entry ${seq} and its ${what} patch no longer fits (hunk ${result.hunk + 1} ${result.header}); the entry's patch is shown instead`);
    }
    return result.text;
  };
  if (currentHash === record.sha256After) return { after: current, before: record.sha256Before === null ? "" : apply(rollbackPatch, current, "rollback") };
  if (currentHash === record.sha256Before) return { before: current, after: record.sha256After === null ? "" : apply(forwardPatch, current, "forward") };
  // Edited since: the change as it shows in today's file.
  return { after: current, before: apply(rollbackPatch, current, "rollback") };
}
