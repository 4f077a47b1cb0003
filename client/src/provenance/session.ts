/**
 * One provenance page's conversation with its host: answers the page's questions from a
 * `LedgerView` and hands the actions that reach outside the page (roll back, open a file, copy)
 * to the host. The extension runs it with a `FileLedgerView` and VS Code actions; the static
 * report runs it inside the page with a `MemoryLedgerView` and no actions. Pure (no vscode, no
 * DOM), so both share it, and the webview tests drive the real thing.
 *
 * Actions never take the page's word for data: the entry is looked up again by key and id, the
 * file to open must be one the entry changed, the policy line comes from the entry's decision.
 */
import type { DetailOrigin, EntryDetail } from "../../../server/src/engine/ledger/view/entryDetail";
import type { EntrySummary } from "../../../server/src/engine/ledger/view/entrySummary";
import type { LedgerView } from "../../../server/src/engine/ledger/view/ledgerView";
import type { HealthView } from "./healthView";
import { effectiveFilter, parsePageMessage, type HostMessage, type NoticeLevel, type PageMessage, type ViewContext } from "./messages";

export interface ProvenanceActions {
  /** Roll the entry back (the host confirms with the user first). Absent in a read-only view. */
  rollback?(entry: EntryDetail): Promise<void>;
  /** `line`: 1-based, where the change starts. */
  openFile?(path: string, line: number | undefined): Promise<void>;
  openPolicy?(origin: DetailOrigin): Promise<void>;
  copy(json: string): Promise<void>;
}

/** Thrown by an action to tell the user why it did not happen (a stable id, as everywhere). */
export class ActionRefused extends Error {
  constructor(
    readonly messageId: string,
    message: string,
    readonly level: NoticeLevel = "warning",
  ) {
    super(message);
  }
}

export class ProvenanceSession {
  constructor(
    private readonly view: LedgerView,
    private readonly context: ViewContext,
    private readonly post: (message: HostMessage) => void,
    private readonly actions: ProvenanceActions,
    private readonly log: (line: string) => void,
    /** The workspace's health log as the page shows it (read again by the host when it changes). */
    private readonly health: () => HealthView | undefined = () => undefined,
  ) {}

  /** The view's state changed (rows read, integrity known, the ledger changed): tell the page. */
  pushState(): void {
    const health = this.health();
    this.post({ type: "state", context: this.context, state: this.view.state(), ...(health ? { health } : {}) });
  }

  /** Asks the page to show an entry (e.g. opened from a hover on a changed line). */
  reveal(summary: Pick<EntrySummary, "key" | "id">): void {
    this.post({ type: "reveal", key: summary.key, id: summary.id });
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parsePageMessage(raw);
    if (!parsed.ok) {
      // Unknown or malformed: ignored, and logged so a broken page (or a hostile one) is visible.
      this.log(`provenance-invalid-message: ignored a message from the provenance page: ${parsed.problem}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      const refused = error instanceof ActionRefused ? error : undefined;
      const message = refused ? refused.message : `the action failed: ${(error as Error).message}`;
      this.post({ type: "notice", level: refused?.level ?? "error", messageId: refused?.messageId ?? "provenance-action-failed", message });
      if (!refused) this.log(`provenance-action-failed: ${parsed.message.type}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  private async handle(message: PageMessage): Promise<void> {
    switch (message.type) {
      case "ready":
        this.pushState();
        return;
      case "rows":
        this.post({ type: "rows", requestId: message.requestId, revision: this.view.state().revision, page: this.view.rows(effectiveFilter(message.filter), message.offset, message.count) });
        return;
      case "detail": {
        const detail = await this.view.detail(message.key, message.id);
        this.post({ type: "detail", requestId: message.requestId, key: message.key, id: message.id, detail: detail ?? null });
        return;
      }
      case "copyEntry": {
        const detail = await this.entry(message.key, message.id);
        await this.actions.copy(detail.json);
        this.post({ type: "notice", level: "info", messageId: "provenance-copied", message: `Copied entry ${detail.summary.id} (seq ${detail.summary.seq}) as JSON.` });
        return;
      }
      case "openFile": {
        const open = this.writableAction(this.actions.openFile);
        const detail = await this.entry(message.key, message.id);
        const file = detail.files.find((candidate) => candidate.path === message.path);
        if (!file) throw new ActionRefused("provenance-path-refused", `Entry ${detail.summary.id} did not change a file named ${message.path}.`);
        if (file.sha256After === null) throw new ActionRefused("provenance-file-deleted", `${file.path} was deleted by this change; there is nothing to open.`, "info");
        await open(file.path, file.changedLine);
        return;
      }
      case "openPolicy": {
        const open = this.writableAction(this.actions.openPolicy);
        const detail = await this.entry(message.key, message.id);
        const origin = detail.decision?.reasons[message.reason]?.origin;
        if (!origin) throw new ActionRefused("provenance-no-policy-line", `Entry ${detail.summary.id} names no policy line for reason ${message.reason + 1}.`, "info");
        await open(origin);
        return;
      }
      case "rollback": {
        const rollback = this.writableAction(this.actions.rollback);
        const detail = await this.entry(message.key, message.id);
        if (detail.undoneBy) {
          throw new ActionRefused("ledger-rollback-already-undone", `Entry ${detail.summary.id} was already rolled back by entry ${detail.undoneBy.id} (seq ${detail.undoneBy.seq}).`);
        }
        await rollback(detail);
        return;
      }
    }
  }

  private async entry(key: number, id: string): Promise<EntryDetail> {
    const detail = await this.view.detail(key, id);
    if (!detail) throw new ActionRefused("provenance-entry-gone", `Entry ${id} is no longer in the ledger at the place the view listed it (the ledger changed); the list has been refreshed.`);
    return detail;
  }

  private writableAction<Action extends (...args: never[]) => Promise<void>>(action: Action | undefined): Action {
    if (this.context.readOnly || !action) throw new ActionRefused("provenance-read-only", "This is a read-only view (a static report): it cannot roll back or open files.", "info");
    return action.bind(this.actions) as Action;
  }
}
