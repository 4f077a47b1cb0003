/// <reference lib="dom" />
/**
 * A recorded patch as a reviewer reads it: per file a header, per hunk its @@ line, and each line
 * with its old and new line number, a +/- marker and syntax colours, unified or side by side.
 * Every line is text: the colours are spans whose text is set as text (tokenize.ts), so a diff
 * of HTML stays HTML source on screen. Long patches show their first lines and a button for the
 * rest, so one huge entry cannot freeze the page.
 */
import type { DiffFile, DiffLine } from "../../../../server/src/engine/ledger/view/unifiedDiff";
import { button, h, type Child } from "./dom";
import { hunkStartState, languageOf, tokenizeLine, type Language, type LineState, type Token } from "./tokenize";

export type DiffLayout = "unified" | "split";

const initialLines = 2000;

export function diffView(files: readonly DiffFile[], label: string, layout: DiffLayout = "unified"): HTMLElement {
  const container = h("div", { class: `diff diff-${layout}`, "aria-label": label });
  if (files.length === 0) {
    container.append(h("p", { class: "muted" }, "No textual change recorded."));
    return container;
  }
  let budget = initialLines;
  const rest: (() => void)[] = [];
  for (const file of files) {
    container.append(h("div", { class: "diff-file-header" }, ...fileTitle(file)));
    for (const note of file.notes) container.append(h("div", { class: "diff-note" }, note));
    const language = languageOf(file.newPath ?? file.oldPath);
    for (const hunk of file.hunks) {
      const table = h("table", { class: `diff-hunk ${layout}`, "data-language": language }, h("caption", { class: "diff-hunk-header" }, hunk.header));
      const body = h("tbody");
      // Fixed column widths, whatever the first row holds (a note spans the table).
      if (layout === "split") table.append(h("colgroup", {}, ...["old", "new"].flatMap((side) => ["number", "marker", "code"].map((column) => h("col", { class: `col-${column} ${side}` })))));
      table.append(body);
      container.append(table);
      const colours = new HunkColours(language, hunk.lines[0]?.text);
      const rows = layout === "unified" ? hunk.lines.map((line) => () => unifiedRow(line, colours)) : splitRows(hunk.lines).map((row) => () => splitRow(row, colours));
      // Rows are made in order, first those shown and then the rest: each side's colouring state runs down the hunk.
      const shown = rows.slice(0, Math.max(0, budget));
      budget -= shown.length;
      body.append(...shown.map((make) => make()));
      if (shown.length < rows.length) rest.push(() => body.append(...rows.slice(shown.length).map((make) => make())));
    }
  }
  if (rest.length > 0) {
    const more = button("Show the whole patch", { class: "secondary" }, () => {
      rest.forEach((show) => show());
      more.remove();
    });
    container.append(h("p", {}, `The patch is long; the first ${initialLines} lines are shown. `, more));
  }
  return container;
}

/** One row of a side-by-side hunk: a context line on both sides, or a removed line beside the added line that replaced it. */
export type SplitRow = { kind: "pair"; old?: DiffLine; new?: DiffLine } | { kind: "note"; line: DiffLine };

/** Pairs a hunk's lines for the side-by-side layout: each run of removed lines faces the run of added lines after it. */
export function splitRows(lines: readonly DiffLine[]): SplitRow[] {
  const rows: SplitRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++) rows.push({ kind: "pair", old: removed[index], new: added[index] });
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === "removed") {
      // A removal after additions starts a new run: the lines stay in the order the patch has them.
      if (added.length > 0) flush();
      removed.push(line);
    } else if (line.kind === "added") added.push(line);
    else {
      flush();
      rows.push(line.kind === "note" ? { kind: "note", line } : { kind: "pair", old: line, new: line });
    }
  }
  flush();
  return rows;
}

/** The colouring state of a hunk's two sides: removed lines continue the old file, added lines the new one, context both. */
class HunkColours {
  private old: LineState;
  private new: LineState;

  constructor(
    private readonly language: Language,
    firstLine: string | undefined,
  ) {
    this.old = this.new = hunkStartState(language, firstLine);
  }

  tokens(line: DiffLine, side: "old" | "new"): Token[] {
    const result = tokenizeLine(line.text, this.language, side === "old" ? this.old : this.new);
    if (side === "old") this.old = result.state;
    else this.new = result.state;
    return result.tokens;
  }

  /** A unified line: shown as the new side has it; a context line moves the old side's state too. */
  unified(line: DiffLine): Token[] {
    if (line.kind === "note") return [{ kind: "plain", text: line.text }];
    if (line.kind === "removed") return this.tokens(line, "old");
    if (line.kind === "context") this.tokens(line, "old");
    return this.tokens(line, "new");
  }
}

function fileTitle(file: DiffFile): Child[] {
  if (file.oldPath === null && file.newPath !== null) return [file.newPath, h("span", { class: "chip" }, "created")];
  if (file.newPath === null && file.oldPath !== null) return [file.oldPath, h("span", { class: "chip" }, "deleted")];
  if (file.oldPath !== file.newPath && file.oldPath !== null) return [`${file.oldPath} → ${file.newPath ?? ""}`];
  return [file.newPath ?? "(unnamed file)"];
}

const markers: Record<DiffLine["kind"], string> = { context: " ", added: "+", removed: "-", note: "" };
const spoken: Record<DiffLine["kind"], string> = { context: "unchanged", added: "added", removed: "removed", note: "note" };

/** The line's tokens as text nodes, coloured ones in a span: only class names and textContent, never markup. */
function code(tokens: readonly Token[]): Child[] {
  return tokens.map((token) => (token.kind === "plain" ? token.text : h("span", { class: `tok-${token.kind}` }, token.text)));
}

function lineNumber(side: "old" | "new", value: number | undefined): HTMLTableCellElement {
  return h("td", { class: `line-number ${side}`, "aria-label": value === undefined ? undefined : `${side} line ${value}` }, value ?? "");
}

function unifiedRow(line: DiffLine, colours: HunkColours): HTMLTableRowElement {
  return h(
    "tr",
    { class: `diff-line ${line.kind}` },
    lineNumber("old", line.oldLine),
    lineNumber("new", line.newLine),
    h("td", { class: "marker", "aria-label": spoken[line.kind] }, markers[line.kind]),
    h("td", { class: "code" }, ...code(colours.unified(line))),
  );
}

function splitRow(row: SplitRow, colours: HunkColours): HTMLTableRowElement {
  if (row.kind === "note") return h("tr", { class: "diff-line note" }, h("td", { class: "code", colspan: 6 }, row.line.text));
  const side = (which: "old" | "new", line: DiffLine | undefined): HTMLTableCellElement[] => {
    if (!line) return [h("td", { class: `line-number ${which} empty` }), h("td", { class: `marker ${which} empty` }), h("td", { class: `code ${which} empty` })];
    return [
      lineNumber(which, which === "old" ? line.oldLine : line.newLine),
      h("td", { class: `marker ${which} ${line.kind}`, "aria-label": spoken[line.kind] }, markers[line.kind]),
      h("td", { class: `code ${which} ${line.kind}` }, ...code(colours.tokens(line, which))),
    ];
  };
  const kind = row.old?.kind === "context" ? "context" : "change";
  return h("tr", { class: `diff-line split-row ${kind}` }, ...side("old", row.old), ...side("new", row.new));
}
