/// <reference lib="dom" />
/** The filters above the timeline: a search box and one control per field the view model filters on. */
import type { EntryFilter, Facets } from "../../../../server/src/engine/ledger/view/query";
import { button, h } from "./dom";

type Field = keyof EntryFilter;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly controls = new Map<Field, HTMLInputElement | HTMLSelectElement>();
  private readonly lists = new Map<string, HTMLDataListElement>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: (filter: EntryFilter) => void) {
    const search = this.input("text", "search", "Search id, rule, file, rationale…", "Search");
    const fields = h(
      "div",
      { class: "filter-fields" },
      this.labelled("File", this.input("file", "text", "path contains…")),
      this.labelled("Rule / contract", this.input("subject", "text", "any", undefined, "subjects")),
      this.labelled("Kind", this.input("kind", "text", "any", undefined, "kinds")),
      this.labelled("Actor", this.input("actor", "text", "any", undefined, "actors")),
      this.labelled("Decision", this.select("outcome", [["", "any"], ["auto", "auto"], ["review", "review"], ["deny", "deny"], ["none", "no policy"]])),
      this.labelled("Status", this.select("status", [["", "any"], ["standing", "standing"], ["undone", "rolled back"]])),
      this.labelled("From", this.input("from", "date", "")),
      this.labelled("To", this.input("to", "date", "")),
      button("Clear filters", { class: "secondary" }, () => {
        this.set({});
        this.emit(0);
      }),
    );
    this.element = h("form", { class: "filters", role: "search", "aria-label": "Filter the ledger" }, search, fields, ...["subjects", "kinds", "actors"].map((id) => this.datalist(id)));
    this.element.addEventListener("submit", (event) => event.preventDefault());
  }

  value(): EntryFilter {
    const filter: EntryFilter = {};
    for (const [field, control] of this.controls) if (control.value !== "") (filter as Record<string, string>)[field] = control.value;
    return filter;
  }

  set(filter: EntryFilter): void {
    for (const [field, control] of this.controls) control.value = filter[field] ?? "";
  }

  setFacets(facets: Facets): void {
    const fill = (id: string, values: string[]) => this.lists.get(id)?.replaceChildren(...values.map((value) => h("option", { value })));
    fill("subjects", facets.subjects);
    fill("kinds", facets.kinds);
    fill("actors", facets.actors);
  }

  private emit(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(this.value()), delayMs);
  }

  private input(field: Field, type: string, placeholder: string, label?: string, list?: string): HTMLInputElement {
    const control = h("input", { type, placeholder, name: field, id: `filter-${field}`, autocomplete: "off", spellcheck: "false", list, "aria-label": label });
    control.addEventListener("input", () => this.emit(type === "date" ? 0 : 200));
    this.controls.set(field, control);
    return control;
  }

  private select(field: Field, options: [string, string][]): HTMLSelectElement {
    const control = h("select", { name: field, id: `filter-${field}` }, ...options.map(([value, label]) => h("option", { value }, label)));
    control.addEventListener("change", () => this.emit(0));
    this.controls.set(field, control);
    return control;
  }

  private labelled(label: string, control: HTMLElement): HTMLElement {
    return h("label", { class: "filter", for: control.id }, h("span", {}, label), control);
  }

  private datalist(id: string): HTMLDataListElement {
    const list = h("datalist", { id });
    this.lists.set(id, list);
    return list;
  }
}
