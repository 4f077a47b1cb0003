/// <reference lib="dom" />
/**
 * One entry in full: what changed, why, under which policy line, with what evidence, the
 * per-file hashes, the forward and rollback diffs, and what can be done with it.
 */
import type { EntryDetail, EntryRef } from "../../../../server/src/engine/ledger/view/entryDetail";
import { subjectOf } from "../../../../server/src/engine/ledger/view/entrySummary";
import type { EntryTrust } from "../../../../server/src/engine/ledger/view/integrityView";
import { diffView, type DiffLayout } from "./diffView";
import { button, h, type Child } from "./dom";
import { duration, shortHash, shortTime } from "./format";
import { cssToken } from "./timeline";

export type DiffSide = "forward" | "rollback";

export interface DetailHooks {
  readOnly: boolean;
  rollback(detail: EntryDetail): void;
  openFile(detail: EntryDetail, path: string): void;
  openPolicy(detail: EntryDetail, reason: number): void;
  copy(detail: EntryDetail): void;
  reveal(entry: EntryRef): void;
  showDiff(side: DiffSide): void;
  showLayout(layout: DiffLayout): void;
}

const trustText: Record<EntryTrust, string> = {
  verified: "The hash chain vouches for this entry.",
  "first-bad": "The hash chain breaks at this entry: its content cannot be trusted.",
  "after-break": "This entry comes after the break in the hash chain: nothing vouches for it.",
  unchecked: "The hash chain is still being checked.",
};

export function detailView(detail: EntryDetail, hooks: DetailHooks, side: DiffSide, layout: DiffLayout = "unified"): HTMLElement {
  const { summary } = detail;
  const subject = subjectOf(summary);
  return h(
    "article",
    { class: "detail-entry", "aria-label": `Entry ${summary.seq}` },
    h(
      "header",
      { class: "detail-header" },
      h("h2", { id: "detail-title", tabindex: -1 }, `#${summary.seq} `, h("span", { class: `chip kind kind-${cssToken(summary.kind)}` }, summary.kind), subject !== undefined ? ` ${subject}` : ""),
      h("p", { class: `trust trust-${detail.trust}` }, trustText[detail.trust]),
      definitions([
        ["Id", h("code", {}, summary.id)],
        ["Time", shortTime(summary.time)],
        ["Actor", `${summary.actorKind} ${summary.actorName}`],
        detail.undoes ? ["Undoes", entryLink(detail.undoes, hooks)] : undefined,
        detail.undoneBy ? ["Rolled back by", entryLink(detail.undoneBy, hooks)] : summary.undoneBy !== undefined ? ["Rolled back by", `entry ${summary.undoneBy}`] : undefined,
        summary.reconciled ? ["Reconciled", "appended at start-up from a change whose writer had crashed"] : undefined,
      ]),
      actions(detail, hooks),
    ),
    section("Rationale", h("p", { class: "rationale" }, detail.rationale || "(none recorded)")),
    section("Plan and impact", planView(detail)),
    section("Policy decision", decisionView(detail, hooks)),
    section("Verification evidence", evidenceView(detail)),
    section("Files", filesView(detail, hooks)),
    section("Diff", diffTabs(detail, hooks, side, layout)),
    h("details", { class: "raw-json" }, h("summary", {}, "Entry as recorded (JSON)"), h("pre", {}, detail.json)),
  );
}

function actions(detail: EntryDetail, hooks: DetailHooks): HTMLElement {
  const bar = h("div", { class: "actions", role: "toolbar", "aria-label": "Entry actions" });
  if (!hooks.readOnly) {
    const blocked = rollbackBlocked(detail);
    const rollback = button("Roll back…", { class: "primary", title: blocked ?? "Undo this change (you confirm first)", disabled: blocked !== undefined, "aria-describedby": blocked ? "rollback-why" : undefined }, () => hooks.rollback(detail));
    bar.append(rollback);
    if (blocked) bar.append(h("span", { id: "rollback-why", class: "muted" }, blocked));
  }
  bar.append(button("Copy as JSON", { class: "secondary" }, () => hooks.copy(detail)));
  return bar;
}

/** Why the page does not offer a rollback (the host checks again before doing anything). */
function rollbackBlocked(detail: EntryDetail): string | undefined {
  if (detail.undoneBy || detail.summary.undoneBy !== undefined) return `Already rolled back${detail.undoneBy ? ` by #${detail.undoneBy.seq}` : ""}.`;
  if (detail.summary.kind === "reconcile" || detail.files.length === 0) return "This entry changed no file.";
  if (detail.trust !== "verified") return "The ledger is not verified intact up to this entry, so its patches are not trusted.";
  return undefined;
}

function planView(detail: EntryDetail): Child {
  const plan = detail.plan;
  return h(
    "div",
    {},
    plan
      ? definitions([
          ["Plan", h("code", {}, plan.planId)],
          ["Size", `${plan.files ?? "?"} file(s), +${plan.linesAdded ?? "?"} −${plan.linesRemoved ?? "?"} lines`],
          ["Exported API", plan.exportedApiTouched ? "touched" : "not touched"],
          ["Protected paths", plan.protectedPathsTouched.length > 0 ? plan.protectedPathsTouched.join(", ") : "none"],
        ])
      : h("p", { class: "muted" }, "No plan recorded."),
    h("h4", {}, "Impact set"),
    detail.impact.length > 0 ? h("ul", { class: "paths" }, ...detail.impact.map((path) => h("li", {}, path))) : h("p", { class: "muted" }, "No other file imports what changed."),
  );
}

function decisionView(detail: EntryDetail, hooks: DetailHooks): Child {
  const decision = detail.decision;
  if (!decision) return h("p", { class: "muted" }, "No policy decided this entry (a person's rollback, or ledger maintenance).");
  return h(
    "div",
    {},
    h("p", {}, "Outcome: ", h("span", { class: `chip outcome outcome-${cssToken(decision.outcome)}` }, decision.outcome)),
    h(
      "ol",
      { class: "reasons" },
      ...decision.reasons.map((reason, index) => {
        const origin = reason.origin;
        const where = origin ? `${origin.file}:${origin.line}${origin.key ? ` (${origin.key})` : ""}` : undefined;
        return h(
          "li",
          {},
          reason.message,
          where === undefined
            ? null
            : h("span", { class: "origin" }, " — ", hooks.readOnly ? where : button(where, { class: "link", title: "Open the policy file at this line" }, () => hooks.openPolicy(detail, index))),
        );
      }),
    ),
  );
}

function evidenceView(detail: EntryDetail): Child {
  const evidence = detail.evidence;
  if (!evidence) return h("p", { class: "muted" }, "Nothing was verified for this entry.");
  const verdict = detail.summary.verification === "failed" ? h("span", { class: "chip failed" }, "failed") : h("span", { class: "chip passed" }, "passed");
  return h(
    "div",
    {},
    h("p", {}, verdict, ` Type errors in the changed files and their impact set: ${evidence.diagnosticsBefore ?? "?"} before, ${evidence.diagnosticsAfter ?? "?"} after.`),
    evidence.commands.length === 0
      ? h("p", { class: "muted" }, "No command was run.")
      : h(
          "table",
          { class: "grid" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Command"), h("th", { scope: "col" }, "Exit code"), h("th", { scope: "col" }, "Time"))),
          h(
            "tbody",
            {},
            ...evidence.commands.map((command) =>
              h(
                "tr",
                {},
                h("td", {}, h("code", {}, command.command)),
                h("td", {}, command.skipped !== undefined ? `skipped: ${command.skipped}` : String(command.exitCode ?? "?")),
                h("td", {}, command.durationMs === null ? "?" : duration(command.durationMs)),
              ),
            ),
          ),
        ),
  );
}

function filesView(detail: EntryDetail, hooks: DetailHooks): Child {
  if (detail.files.length === 0) return h("p", { class: "muted" }, "No file changed.");
  return h(
    "table",
    { class: "grid files" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), h("th", { scope: "col" }, "sha256 before"), h("th", { scope: "col" }, "sha256 after"), hooks.readOnly ? null : h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Open")))),
    h(
      "tbody",
      {},
      ...detail.files.map((file) =>
        h(
          "tr",
          {},
          h("td", {}, h("code", {}, file.path)),
          h("td", { title: file.sha256Before ?? "the file did not exist" }, h("code", {}, file.sha256Before === null ? "(created)" : shortHash(file.sha256Before))),
          h("td", { title: file.sha256After ?? "the change deleted the file" }, h("code", {}, file.sha256After === null ? "(deleted)" : shortHash(file.sha256After))),
          hooks.readOnly
            ? null
            : h("td", {}, file.sha256After === null ? "" : button("Open at change", { class: "link", title: `Open ${file.path}${file.changedLine ? ` at line ${file.changedLine}` : ""}` }, () => hooks.openFile(detail, file.path))),
        ),
      ),
    ),
  );
}

function diffTabs(detail: EntryDetail, hooks: DetailHooks, side: DiffSide, layout: DiffLayout): Child {
  const tab = (which: DiffSide, label: string) => button(label, { class: "tab", "aria-pressed": String(side === which) }, () => hooks.showDiff(which));
  const layoutTab = (which: DiffLayout, label: string) => button(label, { class: "tab layout", "aria-pressed": String(layout === which) }, () => hooks.showLayout(which));
  return h(
    "div",
    {},
    h(
      "div",
      { class: "diff-toolbar" },
      h("div", { class: "tabs", role: "group", "aria-label": "Which patch" }, tab("forward", "Forward (the change)"), tab("rollback", "Rollback (its undo)")),
      h("div", { class: "tabs", role: "group", "aria-label": "Layout" }, layoutTab("unified", "Unified"), layoutTab("split", "Side by side")),
    ),
    diffView(side === "forward" ? detail.forward : detail.rollback, side === "forward" ? "Forward patch" : "Rollback patch", layout),
  );
}

function entryLink(entry: EntryRef, hooks: DetailHooks): HTMLElement {
  return button(`#${entry.seq} ${entry.kind}, ${shortTime(entry.time)}`, { class: "link", title: `Show entry ${entry.id}` }, () => hooks.reveal(entry));
}

function section(title: string, body: Child): HTMLElement {
  return h("section", { class: "detail-section" }, h("h3", {}, title), body);
}

function definitions(rows: ([string, Child] | undefined)[]): HTMLElement {
  const list = h("dl", { class: "definitions" });
  for (const row of rows) if (row) list.append(h("dt", {}, row[0]), h("dd", {}, row[1]));
  return list;
}
