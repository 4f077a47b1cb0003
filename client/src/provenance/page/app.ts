/// <reference lib="dom" />
/**
 * The page: integrity banner and health at the top, filters and the timeline on the left, the
 * selected entry on the right. It holds no ledger data beyond the rows in view and the open
 * entry; everything else is asked of the host. When the ledger changes, the host sends a new
 * revision and the page asks again for what it shows, keeping its filters and selection.
 */
import type { EntryDetail } from "../../../../server/src/engine/ledger/view/entryDetail";
import { trustOf } from "../../../../server/src/engine/ledger/view/integrityView";
import type { LedgerViewState } from "../../../../server/src/engine/ledger/view/ledgerView";
import type { EntryFilter } from "../../../../server/src/engine/ledger/view/query";
import type { HealthView } from "../healthView";
import type { HostMessage, NoticeLevel, PageMessage, ViewContext } from "../messages";
import { detailView, type DiffSide } from "./detailPane";
import type { DiffLayout } from "./diffView";
import { h, replaceChildren } from "./dom";
import { FilterBar } from "./filterBar";
import { plural } from "./format";
import { healthView, integrityBanner } from "./overview";
import { Timeline } from "./timeline";
import type { Transport } from "./transport";

export class ProvenanceApp {
  private context: ViewContext | undefined;
  private state: LedgerViewState | undefined;
  private health: HealthView | undefined;
  private filter: EntryFilter = {};
  private selected: { key: number; id: string } | undefined;
  private diffSide: DiffSide = "forward";
  private diffLayout: DiffLayout = "unified";
  private nextRequest = 1;
  private generation = 0;
  private readonly rowRequests = new Map<number, number>();
  private detailRequest = 0;
  private focusDetailWhenShown = false;
  /** An entry to open once the rows listing it arrive (the banner's "show that entry" knows only an id). */
  private openWhenListed: string | undefined;

  private readonly top = h("div", { class: "overview" });
  private readonly count = h("p", { class: "count", role: "status", "aria-live": "polite" });
  private readonly detailPane = h("section", { class: "detail", "aria-label": "Entry detail" });
  private readonly notices = h("div", { class: "notices", role: "status", "aria-live": "polite" });
  private readonly filterBar = new FilterBar((filter) => this.setFilter(filter));
  private readonly timeline = new Timeline({
    requestRows: (offset, count) => this.requestRows(offset, count),
    open: (row) => {
      this.focusDetailWhenShown = document.activeElement === this.timeline.element;
      this.open({ key: row.key, id: row.id });
    },
    trustOf: (row) => trustOf(row.line, this.state?.integrity ?? { state: "checking" }),
  });

  constructor(
    private readonly root: HTMLElement,
    private readonly transport: Transport,
    private readonly isReport: boolean,
  ) {}

  start(): void {
    const saved = this.transport.loadState();
    this.filter = saved?.filter ?? {};
    this.selected = saved?.selected;
    this.diffSide = saved?.diff ?? "forward";
    this.diffLayout = saved?.layout ?? "unified";
    this.filterBar.set(this.filter);
    this.root.classList.toggle("report", this.isReport);
    replaceChildren(
      this.root,
      this.top,
      h("div", { class: "main" }, h("section", { class: "list-pane", "aria-label": "Timeline" }, this.filterBar.element, this.count, this.timeline.element), this.detailPane),
      this.notices,
    );
    this.showPlaceholder("Select an entry to see what changed, why, and how to undo it.");
    this.detailPane.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      this.timeline.focus();
    });
    this.transport.onMessage((message) => this.receive(message));
    this.post({ type: "ready" });
    // The first rows are asked for with "ready", not after its answer: one round trip to the host fewer before
    // the list shows (the host answers in order, so these rows are as new as the first state or newer).
    this.timeline.reset(true);
    if (this.selected) {
      this.timeline.select(this.selected.key);
      this.requestDetail(this.selected);
    }
  }

  private receive(message: HostMessage): void {
    switch (message.type) {
      case "state": {
        const first = this.state === undefined;
        const changed = message.state.revision !== this.state?.revision;
        this.context = message.context;
        this.state = message.state;
        this.health = message.health;
        this.renderOverview();
        if (message.state.facets) this.filterBar.setFacets(message.state.facets);
        // The first state needs no new rows: those asked for with "ready" are answered after it.
        if (changed && !first) {
          this.reloadRows(true);
          if (this.selected) this.requestDetail(this.selected);
        }
        return;
      }
      case "rows": {
        const generation = this.rowRequests.get(message.requestId);
        this.rowRequests.delete(message.requestId);
        if (generation !== this.generation) return;
        this.timeline.receive(message.page.total, message.page.offset, message.page.rows);
        this.renderCount(message.page.total);
        const wanted = this.openWhenListed === undefined ? undefined : message.page.rows.find((row) => row.id === this.openWhenListed);
        if (wanted) {
          this.openWhenListed = undefined;
          this.open({ key: wanted.key, id: wanted.id });
        }
        return;
      }
      case "detail":
        if (message.requestId !== this.detailRequest) return;
        if (message.detail) this.showDetail(message.detail);
        else this.showPlaceholder(`Entry ${message.id} is no longer in the ledger where it was listed (the ledger changed).`);
        return;
      case "notice":
        this.notify(message.level, message.messageId, message.message);
        return;
      case "reveal":
        this.open({ key: message.key, id: message.id });
        return;
    }
  }

  private post(message: PageMessage): void {
    this.transport.post(message);
  }

  private setFilter(filter: EntryFilter): void {
    this.filter = filter;
    this.save();
    this.reloadRows(false);
  }

  private reloadRows(keepPosition: boolean): void {
    this.generation++;
    this.rowRequests.clear();
    this.timeline.reset(keepPosition);
  }

  private requestRows(offset: number, count: number): void {
    const requestId = this.nextRequest++;
    this.rowRequests.set(requestId, this.generation);
    this.post({ type: "rows", requestId, filter: this.filter, offset, count });
  }

  private open(entry: { key: number; id: string }): void {
    this.selected = entry;
    this.timeline.select(entry.key);
    this.save();
    this.requestDetail(entry);
  }

  private requestDetail(entry: { key: number; id: string }): void {
    this.detailRequest = this.nextRequest++;
    this.post({ type: "detail", requestId: this.detailRequest, key: entry.key, id: entry.id });
  }

  private showDetail(detail: EntryDetail): void {
    const address = { key: detail.summary.key, id: detail.summary.id };
    const view = detailView(
      detail,
      {
        readOnly: this.context?.readOnly ?? true,
        rollback: () => this.post({ type: "rollback", ...address }),
        openFile: (_detail, path) => this.post({ type: "openFile", ...address, path }),
        openPolicy: (_detail, reason) => this.post({ type: "openPolicy", ...address, reason }),
        copy: () => this.post({ type: "copyEntry", ...address }),
        reveal: (entry) => this.open({ key: entry.key, id: entry.id }),
        showDiff: (side) => {
          this.diffSide = side;
          this.save();
          this.showDetail(detail);
          this.detailPane.querySelector<HTMLElement>(`.tab:not(.layout)[aria-pressed="true"]`)?.focus();
        },
        showLayout: (layout) => {
          this.diffLayout = layout;
          this.save();
          this.showDetail(detail);
          this.detailPane.querySelector<HTMLElement>(`.tab.layout[aria-pressed="true"]`)?.focus();
        },
      },
      this.diffSide,
      this.diffLayout,
    );
    replaceChildren(this.detailPane, view);
    if (this.focusDetailWhenShown) {
      this.focusDetailWhenShown = false;
      this.detailPane.querySelector<HTMLElement>("#detail-title")?.focus();
    }
  }

  private showPlaceholder(text: string): void {
    replaceChildren(this.detailPane, h("p", { class: "muted placeholder-text" }, text));
  }

  private renderOverview(): void {
    if (!this.state || !this.context) return;
    replaceChildren(
      this.top,
      h("h1", {}, `Provenance: ${this.context.folder}`, this.isReport ? h("span", { class: "chip" }, "static report") : null),
      integrityBanner(this.state.integrity, this.state, this.context.folder, (id) => {
        this.openWhenListed = id;
        this.filterBar.set({ text: id });
        this.setFilter({ text: id });
      }),
      healthView(this.state.metrics, this.health),
    );
    this.renderCount(this.timeline.count);
  }

  private renderCount(shown: number): void {
    if (!this.state) return;
    const listed = this.state.listed;
    const reading = this.state.listing === "newest" ? " (the newest; reading the rest of the ledger…)" : "";
    this.count.textContent = shown === listed ? `${plural(listed, "entry", "entries")}${reading}` : `${shown.toLocaleString("en-US")} of ${plural(listed, "entry", "entries")} match${reading}`;
  }

  private notify(level: NoticeLevel, messageId: string, text: string): void {
    const notice = h("div", { class: `notice notice-${level}`, "data-message-id": messageId }, text);
    this.notices.append(notice);
    // Several notices stack; the oldest go first so the area stays small.
    while (this.notices.childElementCount > 3) this.notices.firstElementChild?.remove();
    setTimeout(() => notice.remove(), level === "error" ? 15_000 : 6_000);
  }

  private save(): void {
    this.transport.saveState({ filter: this.filter, ...(this.selected ? { selected: this.selected } : {}), diff: this.diffSide, layout: this.diffLayout });
  }
}
