/// <reference lib="dom" />
/**
 * The timeline: a virtualized listbox. Only the rows in view (and a few around them) exist in
 * the DOM, and only their window of rows is asked of the host, a block at a time, so 100,000
 * entries cost what 30 do. Keyboard: arrows, Page Up/Down, Home/End move the active row,
 * Enter or Space opens it; the listbox keeps focus and points at the row with
 * aria-activedescendant, as ARIA's listbox pattern does.
 */
import type { EntrySummary } from "../../../../server/src/engine/ledger/view/entrySummary";
import { subjectOf } from "../../../../server/src/engine/ledger/view/entrySummary";
import type { EntryTrust } from "../../../../server/src/engine/ledger/view/integrityView";
import { h, replaceChildren } from "./dom";
import { shortTime } from "./format";

export const rowHeight = 46;
const blockSize = 100;
const overscan = 8;

export interface TimelineHooks {
  requestRows(offset: number, count: number): void;
  open(row: EntrySummary): void;
  trustOf(row: EntrySummary): EntryTrust;
}

export class Timeline {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private total = 0;
  private readonly rows = new Map<number, EntrySummary>();
  private readonly requestedBlocks = new Set<number>();
  private active = -1;
  private selectedKey: number | undefined;
  private frame: number | undefined;

  constructor(private readonly hooks: TimelineHooks) {
    this.spacer = h("div", { class: "timeline-spacer" });
    this.element = h("div", { id: "timeline", class: "timeline", role: "listbox", tabindex: 0, "aria-label": "Ledger entries, newest first" }, this.spacer);
    this.element.addEventListener("scroll", () => this.scheduleRender());
    this.element.addEventListener("keydown", (event) => this.onKey(event));
    this.element.addEventListener("click", (event) => {
      const row = (event.target as Element).closest<HTMLElement>(".row");
      if (row?.dataset.index === undefined) return;
      this.activate(Number(row.dataset.index));
      this.openActive();
    });
    new ResizeObserver(() => this.scheduleRender()).observe(this.element);
  }

  /** Forget every row (a new filter, or the ledger changed); `keepPosition` keeps the scroll position and active row. */
  reset(keepPosition: boolean): void {
    this.rows.clear();
    this.requestedBlocks.clear();
    if (!keepPosition) {
      this.element.scrollTop = 0;
      this.active = -1;
    }
    this.render();
  }

  /** A window of rows from the host. */
  receive(total: number, offset: number, rows: readonly EntrySummary[]): void {
    this.total = total;
    rows.forEach((row, index) => this.rows.set(offset + index, row));
    if (this.active >= total) this.active = total - 1;
    this.scheduleRender();
  }

  get count(): number {
    return this.total;
  }

  select(key: number | undefined): void {
    this.selectedKey = key;
    this.scheduleRender();
  }

  /** Moves the active row to the row with this key, if it is loaded. */
  activateKey(key: number): void {
    for (const [index, row] of this.rows) if (row.key === key) this.activate(index);
  }

  focus(): void {
    this.element.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) this.activate(Math.max(0, this.active + moves[event.key]));
    else if (event.key === "Home") this.activate(0);
    else if (event.key === "End") this.activate(this.total - 1);
    else if (event.key === "Enter" || event.key === " ") this.openActive();
    else return;
    event.preventDefault();
  }

  private activate(index: number): void {
    if (this.total === 0) return;
    this.active = Math.min(Math.max(0, index), this.total - 1);
    const top = this.active * rowHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + rowHeight > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = top + rowHeight - this.element.clientHeight;
    this.render();
  }

  private openActive(): void {
    const row = this.rows.get(this.active);
    if (row) this.hooks.open(row);
  }

  private scheduleRender(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.render();
    });
  }

  private render(): void {
    this.spacer.style.height = `${this.total * rowHeight}px`;
    const first = Math.max(0, Math.floor(this.element.scrollTop / rowHeight) - overscan);
    const last = Math.min(this.total - 1, Math.ceil((this.element.scrollTop + this.element.clientHeight) / rowHeight) + overscan);
    this.requestMissing(first, Math.max(first, last));
    const elements: HTMLElement[] = [];
    for (let index = first; index <= last; index++) elements.push(this.rowElement(index));
    replaceChildren(this.spacer, ...elements);
    const active = this.active >= first && this.active <= last ? `row-${this.active}` : undefined;
    if (active) this.element.setAttribute("aria-activedescendant", active);
    else this.element.removeAttribute("aria-activedescendant");
  }

  private requestMissing(first: number, last: number): void {
    // Before the first answer the total is unknown: ask for the first block.
    const end = this.total === 0 ? 0 : last;
    for (let block = Math.floor(first / blockSize) * blockSize; block <= end; block += blockSize) {
      if (this.requestedBlocks.has(block)) continue;
      let missing = false;
      for (let index = block; index < Math.min(block + blockSize, this.total || blockSize); index++) if (!this.rows.has(index)) missing = true;
      if (!missing) continue;
      this.requestedBlocks.add(block);
      this.hooks.requestRows(block, blockSize);
    }
  }

  private rowElement(index: number): HTMLElement {
    const row = this.rows.get(index);
    const classes = ["row"];
    if (index === this.active) classes.push("active");
    const attributes = { id: `row-${index}`, role: "option", "data-index": index, class: "", "aria-selected": "false", "aria-posinset": index + 1, "aria-setsize": this.total };
    let content: HTMLElement[];
    if (!row) {
      classes.push("placeholder");
      content = [h("div", { class: "row-top" }, "…")];
    } else {
      const trust = this.hooks.trustOf(row);
      if (row.key === this.selectedKey) {
        classes.push("selected");
        attributes["aria-selected"] = "true";
      }
      if (row.undoneBy !== undefined) classes.push("undone");
      if (trust === "first-bad" || trust === "after-break") classes.push("untrusted");
      const subject = subjectOf(row);
      content = [
        h(
          "div",
          { class: "row-top" },
          h("span", { class: "seq" }, `#${row.seq}`),
          h("span", { class: `chip kind kind-${cssToken(row.kind)}` }, row.kind),
          subject !== undefined ? h("span", { class: "subject" }, subject) : null,
          row.outcome ? h("span", { class: `chip outcome outcome-${row.outcome}` }, row.outcome) : null,
          row.verification === "failed" ? h("span", { class: "chip failed" }, "verification failed") : null,
          row.undoneBy !== undefined ? h("span", { class: "chip mark" }, "rolled back") : null,
          trust === "first-bad" ? h("span", { class: "chip broken" }, "chain breaks here") : trust === "after-break" ? h("span", { class: "chip broken" }, "unverified") : null,
          h("span", { class: "time" }, shortTime(row.time)),
        ),
        h("div", { class: "row-bottom" }, h("span", { class: "files" }, row.files.length > 0 ? row.files.join(", ") : "(no files)"), h("span", { class: "actor" }, `${row.actorKind} ${row.actorName}`)),
      ];
    }
    attributes.class = classes.join(" ");
    const element = h("div", attributes, ...content);
    element.style.transform = `translateY(${index * rowHeight}px)`;
    return element;
  }
}

/** A value from the ledger used in a class name: only letters, digits and dashes survive. */
export function cssToken(value: string): string {
  return value.replace(/[^a-zA-Z0-9-]/g, "_").slice(0, 40);
}
