/// <reference lib="dom" />
/**
 * A recorded patch as a reviewer reads it: per file a header, per hunk its @@ line, and each line
 * with its old and new line number and a +/- marker, coloured by the theme's diff colours. Every
 * line is text (a diff of HTML stays HTML source on screen). Long patches show their first
 * lines and a button for the rest, so one huge entry cannot freeze the page.
 */
import type { DiffFile, DiffLine } from "../../../../server/src/engine/ledger/view/unifiedDiff";
import { button, h, type Child } from "./dom";

const initialLines = 2000;

export function diffView(files: readonly DiffFile[], label: string): HTMLElement {
  const container = h("div", { class: "diff", "aria-label": label });
  if (files.length === 0) {
    container.append(h("p", { class: "muted" }, "No textual change recorded."));
    return container;
  }
  let budget = initialLines;
  const rest: (() => void)[] = [];
  for (const file of files) {
    container.append(h("div", { class: "diff-file-header" }, ...fileTitle(file)));
    for (const note of file.notes) container.append(h("div", { class: "diff-note" }, note));
    for (const hunk of file.hunks) {
      const table = h("table", { class: "diff-hunk" }, h("caption", { class: "diff-hunk-header" }, hunk.header));
      const body = h("tbody");
      table.append(body);
      container.append(table);
      const shown = hunk.lines.slice(0, Math.max(0, budget));
      budget -= shown.length;
      body.append(...shown.map(lineRow));
      if (shown.length < hunk.lines.length) rest.push(() => body.append(...hunk.lines.slice(shown.length).map(lineRow)));
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

function fileTitle(file: DiffFile): Child[] {
  if (file.oldPath === null && file.newPath !== null) return [file.newPath, h("span", { class: "chip" }, "created")];
  if (file.newPath === null && file.oldPath !== null) return [file.oldPath, h("span", { class: "chip" }, "deleted")];
  if (file.oldPath !== file.newPath && file.oldPath !== null) return [`${file.oldPath} → ${file.newPath ?? ""}`];
  return [file.newPath ?? "(unnamed file)"];
}

const markers: Record<DiffLine["kind"], string> = { context: " ", added: "+", removed: "-", note: "" };
const spoken: Record<DiffLine["kind"], string> = { context: "unchanged", added: "added", removed: "removed", note: "note" };

function lineRow(line: DiffLine): HTMLTableRowElement {
  return h(
    "tr",
    { class: `diff-line ${line.kind}` },
    h("td", { class: "line-number old", "aria-label": line.oldLine === undefined ? undefined : `old line ${line.oldLine}` }, line.oldLine ?? ""),
    h("td", { class: "line-number new", "aria-label": line.newLine === undefined ? undefined : `new line ${line.newLine}` }, line.newLine ?? ""),
    h("td", { class: "marker", "aria-label": spoken[line.kind] }, markers[line.kind]),
    h("td", { class: "code" }, line.text),
  );
}
