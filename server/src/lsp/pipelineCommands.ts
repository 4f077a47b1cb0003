/**
 * The server commands behind the code actions and the rollback command: `selfheal.applyFix`,
 * `selfheal.applyFixAll` and `selfheal.rollbackEntry`. Each re-plans against the current text
 * (never trusting what the editor sends beyond naming the finding), goes through the same
 * pipeline as the CLI (policy, verification) and writes through the editor with the ledger's
 * intent protocol (editorWriter.ts). Every way a command ends is a `ChangeOutcome` with a stable
 * id, also shown to the user. One change at a time: the ledger is a sequence.
 */
import * as os from "node:os";
import type { ChangePlan } from "../engine/agents/changePlan";
import { describeReason } from "../engine/agents/decisionText";
import { editsOnDisk, ledgerLocationFor } from "../engine/agents/ledgerRecord";
import { PlanError } from "../engine/agents/messages";
import { runPipeline, type ApplyResult, type PipelineOutcome } from "../engine/agents/pipeline";
import { describeError, type Engine, type Logger } from "../engine/analysis/engine";
import type { Actor, LedgerEntry } from "../engine/ledger/entry";
import { reconcileIntents } from "../engine/ledger/intents";
import { LedgerError } from "../engine/ledger/ledgerError";
import { planRollback, rollbackDraft } from "../engine/ledger/rollback";
import { resolveInside, type LedgerLocation } from "../engine/ledger/workspacePaths";
import { normalizePath } from "../engine/workspace/paths";
import type { ChangeOutcome, EntryReference, FixAllReference, FixReference } from "../protocol/customMessages";
import { ArgumentError } from "./commandArguments";
import { bufferMatchesDisk, readBytes } from "./diskFiles";
import { EditorError } from "./editorMessages";
import type { EditorWriter } from "./editorWriter";
import { describeBreak } from "../engine/ledger/rollbackEntry";
import { findEntry, ledgerLocationsOf } from "./ledgers";
import { planForFix, planForFixAll, type VersionOf } from "./planResolution";
import { pathToUri, uriToPath } from "./uris";
import { buildWorkspaceEdit, replacementEdits, UnsupportedEditError, type Confirmation, type EditCapabilities, type FileOperation } from "./workspaceEdits";

/** What the commands need from the server and the editor. */
export interface PipelineSession {
  engine: Engine;
  writer: EditorWriter;
  logger: Logger;
  versionOf: VersionOf;
  /** The open buffer's text, or undefined. */
  bufferOf(file: string): string | undefined;
  capabilities(): EditCapabilities & { applyEdit: boolean };
  /** Undefined when the client cannot save for us. */
  saveDocuments?(uris: string[]): Promise<{ failed: Array<{ uri: string; reason: string }> }>;
  /** For an editor without a refactor preview: asks to apply a change that needs review; true only on an explicit yes. */
  confirm(question: string): Promise<boolean>;
  /** Who asks for changes in this editor, for the ledger. */
  actor: Actor;
  /** The files a change wrote: disk copies the engine cached are out of date. */
  filesWritten(files: string[]): void;
}

export class PipelineCommands {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: PipelineSession) {}

  applyFix(reference: FixReference): Promise<ChangeOutcome> {
    return this.serialized(() => this.runPlan(planForFix(this.session.engine, this.session.versionOf, reference)));
  }

  applyFixAll(reference: FixAllReference): Promise<ChangeOutcome> {
    return this.serialized(() => this.runPlan(planForFixAll(this.session.engine, this.session.versionOf, reference)));
  }

  rollback(reference: EntryReference): Promise<ChangeOutcome> {
    return this.serialized(() => this.runRollback(reference));
  }

  /** Runs one command after the previous one ended; every refusal becomes an outcome, never an exception. */
  private serialized(run: () => Promise<ChangeOutcome>): Promise<ChangeOutcome> {
    const result = this.queue.then(async () => {
      try {
        this.requireApplyEdit();
        return await run();
      } catch (error) {
        return this.refusal(error);
      }
    });
    this.queue = result;
    return result;
  }

  private async runPlan(plan: ChangePlan): Promise<ChangeOutcome> {
    const { engine } = this.session;
    const location = ledgerLocationFor(engine, plan);
    // The same documents must be edited at the versions the plan was made from, or not at all.
    const versions = new Map(plan.files.map((file) => [file.path, this.session.versionOf(pathToUri(file.path))]));
    const decision = engine.policies.decide(plan.proposedChange);
    if (decision.offered && decision.outcome !== "deny") await this.ensureSaved(plan.files.map((file) => file.path));
    let partial = false;
    const outcome = await runPipeline(engine, plan, {
      actor: this.session.actor,
      // Review happens in the editor: the edit opens its refactor preview (or the user is asked) below.
      confirmReview: true,
      recordedEdits: editsOnDisk,
      apply: async ({ draft, edits }): Promise<ApplyResult> => {
        const review = draft.decision?.outcome === "review";
        const confirmation = review ? { label: plan.title, description: `needs review: ${describeReason(decision.reasons[0], plan.root)}` } : undefined;
        const operations: FileOperation[] = plan.files.map((file) =>
          file.created ? { kind: "create", uri: pathToUri(file.path), text: file.after } : { kind: "edit", uri: pathToUri(file.path), version: versions.get(file.path) ?? null, edits: file.edits },
        );
        const declined = await this.askWithoutPreview(confirmation, `"${plan.title}" (${plan.files.map((file) => file.relativePath).join(", ")}, +${plan.risk.linesAdded} -${plan.risk.linesRemoved} lines)`);
        if (declined) return declined;
        const result = await this.session.writer.write({ location, draft, edits, edit: buildWorkspaceEdit(operations, this.session.capabilities(), confirmation), label: plan.title });
        if (result.status === "applied") partial = result.partial;
        return result;
      },
    });
    if (outcome.kind === "applied") this.session.filesWritten(plan.files.map((file) => file.path));
    return this.outcomeOf(outcome, location, partial);
  }

  private async runRollback(reference: EntryReference): Promise<ChangeOutcome> {
    const { engine, logger } = this.session;
    const folder = reference.folder === undefined ? undefined : uriToPath(reference.folder);
    if (reference.folder !== undefined && folder === undefined) throw new ArgumentError(`folder must be a file: URI of a workspace folder (got ${reference.folder})`);
    const locations = ledgerLocationsOf(engine).filter((location) => folder === undefined || normalizePath(location.root) === folder);
    // A change a crash left half-recorded is settled first, so the rollback sees the whole history.
    for (const location of locations) for (const outcome of await reconcileIntents(location)) logger.info(`${outcome.id}: ${outcome.message}`);
    const { entry, location, contents } = await findEntry(locations, reference.entryId, folder);
    if (!contents.integrity.intact) {
      throw new LedgerError("ledger-not-intact", `refusing to roll back from ${location.ledgerFile}, which is not intact (${describeBreak(contents.integrity.firstBad)}): its patches cannot be trusted to write files`);
    }
    const absolute = (relative: string) => normalizePath(resolveInside(location.root, relative));
    await this.ensureSaved(entry.predicate.files.map((file) => absolute(file.path)));
    const plan = planRollback(entry, (relative) => readBytes(absolute(relative)), contents.entries);
    if (!plan.ok) return this.tell({ id: plan.id, message: plan.message, applied: false });

    const { seq } = entry.predicate.chain;
    const label = `Roll back ledger entry ${seq} (${entry.predicate.kind}${entry.predicate.rule ? ` ${entry.predicate.rule}` : ""})`;
    const draft = rollbackDraft(entry, plan.edits, this.session.actor);
    const operations: FileOperation[] = plan.edits.map((edit) => {
      const uri = pathToUri(absolute(edit.path));
      if (edit.before === null) return { kind: "create", uri, text: edit.after ?? "" };
      if (edit.after === null) return { kind: "delete", uri };
      return { kind: "edit", uri, version: this.session.versionOf(uri), edits: replacementEdits(edit.before, edit.after) };
    });
    // A rollback is always reviewed: it rewrites code someone may have built on since.
    const confirmation: Confirmation = { label, description: `restores ${plan.edits.map((edit) => edit.path).join(", ")} as before entry ${entry.predicate.id.slice(0, 8)}${plan.exact ? "" : ", around later edits"}` };
    const declined = await this.askWithoutPreview(confirmation, `${label}: ${confirmation.description}`);
    if (declined) return this.tell({ id: "editor-rollback-not-applied", message: `${label}: not applied (${declined.message})`, applied: false });
    const result = await this.session.writer.write({ location, draft, edits: plan.edits, edit: buildWorkspaceEdit(operations, this.session.capabilities(), confirmation), label });
    if (result.status === "stale") return this.tell({ id: "ledger-files-changed", message: `${label}: ${result.message}`, applied: false });
    if (result.status === "declined") return this.tell({ id: "editor-rollback-not-applied", message: `${label}: ${result.message}`, applied: false });
    this.session.filesWritten(plan.edits.map((edit) => absolute(edit.path)));
    const how = plan.exact ? "exactly" : "around later edits";
    const recorded = describeEntry(result.entry, location);
    const message = `rolled back entry ${entry.predicate.id} (seq ${seq}) ${how}: ${plan.edits.map((edit) => edit.path).join(", ")}; recorded as ledger entry ${result.entry.predicate.id} (seq ${recorded.seq})`;
    if (result.partial) return this.tell({ id: "editor-applied-in-part", message: `${message}, though only part of it reached the files`, applied: true, entry: recorded });
    return this.tell({ id: "editor-rollback-applied", message, applied: true, entry: recorded });
  }

  /**
   * A reviewed change opens the editor's refactor preview through its change annotation. An
   * editor without that is asked first, and only an explicit yes goes on (fails closed).
   */
  private async askWithoutPreview(confirmation: Confirmation | undefined, what: string): Promise<{ status: "declined"; message: string } | undefined> {
    const capabilities = this.session.capabilities();
    if (!confirmation || (capabilities.changeAnnotations && capabilities.documentChanges)) return undefined;
    const yes = await this.session.confirm(`Self-Healing Code: ${what} ${confirmation.description}. Apply it?`);
    return yes ? undefined : { status: "declined", message: "the review was declined; nothing was changed" };
  }

  /** The ledger records the disk, so files with unsaved edits are saved first (by the extension), or the change is refused. */
  private async ensureSaved(files: readonly string[]): Promise<void> {
    const dirty = () => files.filter((file) => {
      const buffer = this.session.bufferOf(file);
      return buffer !== undefined && !bufferMatchesDisk(buffer, file);
    });
    let unsaved = dirty();
    if (unsaved.length > 0 && this.session.saveDocuments) {
      await this.session.saveDocuments(unsaved.map(pathToUri));
      unsaved = dirty();
    }
    if (unsaved.length > 0) {
      throw new EditorError("editor-unsaved-files", `save ${unsaved.map((file) => this.relative(file)).join(", ")} first: the ledger records the files as they are on disk; nothing was changed`);
    }
  }

  private requireApplyEdit(): void {
    if (!this.session.capabilities().applyEdit) {
      throw new EditorError("editor-cannot-apply-edits", "this editor cannot apply edits the server sends (no workspace/applyEdit support); use `selfheal fix` in a terminal instead");
    }
  }

  private outcomeOf(outcome: PipelineOutcome, location: LedgerLocation, partial: boolean): ChangeOutcome {
    const title = outcome.plan.title;
    if (outcome.kind === "applied") {
      const entry = describeEntry(outcome.entry, location);
      if (partial) return this.tell({ id: "editor-applied-in-part", message: `"${title}": only part of the change reached the files; what did is recorded as ledger entry ${outcome.entry.predicate.id} (seq ${entry.seq})`, applied: true, entry });
      return this.tell({ id: outcome.id, message: `"${title}": ${outcome.message}`, applied: true, entry });
    }
    return this.tell({ id: outcome.id, message: `"${title}": ${outcome.message}`, applied: false });
  }

  private refusal(error: unknown): ChangeOutcome {
    if (error instanceof EditorError || error instanceof PlanError || error instanceof LedgerError) return this.tell({ id: error.id, message: error.message, applied: false });
    if (error instanceof ArgumentError) return this.tell({ id: "editor-bad-arguments", message: error.message, applied: false });
    if (error instanceof UnsupportedEditError) return this.tell({ id: "editor-cannot-apply-edits", message: `${error.message}; nothing was changed`, applied: false });
    this.session.logger.error(`pipeline command failed: ${describeError(error)}`);
    return this.tell({ id: "editor-internal-error", message: `the change failed unexpectedly (${error instanceof Error ? error.message : String(error)}); see the output channel. If files were written, the next start records or reports them.`, applied: false });
  }

  /** Outcomes are logged; the server shows them to the user as messages (see `tellUser`). */
  private tell(outcome: ChangeOutcome): ChangeOutcome {
    this.session.logger.info(`${outcome.id}: ${outcome.message}`);
    return outcome;
  }

  private relative(file: string): string {
    for (const folder of this.session.engine.workspace.folderList()) if (file.startsWith(`${folder}/`)) return file.slice(folder.length + 1);
    return file;
  }
}

/** How the user is told: a change that landed or was cancelled is news; a refusal is a warning; a bug is an error. */
export function severityOf(outcome: ChangeOutcome): "info" | "warning" | "error" {
  if (outcome.applied || ["pipeline-already-applied", "pipeline-not-applied", "editor-rollback-not-applied"].includes(outcome.id)) return "info";
  return outcome.id === "editor-internal-error" || outcome.id === "pipeline-verification-failed" ? "error" : "warning";
}

function describeEntry(entry: LedgerEntry, location: LedgerLocation): NonNullable<ChangeOutcome["entry"]> {
  return { id: entry.predicate.id, seq: entry.predicate.chain.seq, ledger: location.ledgerFile };
}

/** Who applies changes from this editor: the user at this machine, through the named editor. */
export function editorActor(clientName: string | undefined, version: string): Actor {
  let user = process.env.USER ?? process.env.USERNAME ?? "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name will do.
  }
  return { kind: "user", name: `${user}@${os.hostname()} via ${clientName ?? "an LSP editor"} (selfheal ${version})` };
}
