/// <reference lib="dom" />
/** The top of the page: the chain's integrity (the first thing a reviewer must know) and the ledger's health numbers. */
import type { IntegrityView } from "../../../../server/src/engine/ledger/view/integrityView";
import type { LedgerViewState } from "../../../../server/src/engine/ledger/view/ledgerView";
import type { LedgerMetrics } from "../../../../server/src/engine/ledger/view/ledgerMetrics";
import { button, h, type Child } from "./dom";
import { duration, percent, plural, shortHash } from "./format";

export function integrityBanner(integrity: IntegrityView, state: LedgerViewState, folder: string, showEntry: (id: string) => void): HTMLElement {
  const banner = (level: string, title: string, ...details: Child[]) =>
    h("div", { class: `banner banner-${level}`, role: level === "broken" ? "alert" : "status", "data-integrity": integrity.state }, h("strong", {}, title), ...details.map((detail) => (detail === null ? null : h("span", { class: "banner-detail" }, detail))));
  switch (integrity.state) {
    case "checking":
      return banner("checking", "Checking the ledger's hash chain…", `${plural(state.listed, "entry", "entries")} listed so far.`);
    case "no-ledger":
      return banner("empty", `No ledger in ${folder} yet.`, "Nothing has been recorded: changes applied by Self-Healing Code will appear here.");
    case "unreadable":
      return banner("broken", "The ledger could not be read.", integrity.reason);
    case "intact":
      return banner(
        "intact",
        `Ledger intact: ${plural(integrity.entries, "entry", "entries")}.`,
        integrity.head ? `Head: seq ${integrity.head.seq} (${shortHash(integrity.head.hash)}). Record it outside the workspace to detect truncation.` : null,
      );
    case "broken": {
      const bad = integrity.firstBad;
      const where = [`line ${bad.line}`, bad.seq !== undefined ? `seq ${bad.seq}` : undefined, bad.id !== undefined ? `entry ${bad.id}` : undefined].filter(Boolean).join(", ");
      const problem: Record<string, string> = { altered: "altered", removed: "removed", reordered: "reordered", torn: "torn (an interrupted write)", malformed: "malformed" };
      return banner(
        "broken",
        `Ledger NOT intact: broken at ${where} — ${problem[bad.problem] ?? bad.problem}.`,
        h("span", {}, h("code", {}, integrity.messageId), `: ${bad.detail}`),
        `${plural(integrity.entries, "entry", "entries")} before it ${integrity.entries === 1 ? "is" : "are"} intact; entries from there on are marked and cannot be rolled back.`,
        bad.id !== undefined ? button("Show that entry", { class: "secondary" }, () => showEntry(bad.id as string)) : null,
      );
    }
  }
}

export function healthView(metrics: LedgerMetrics | undefined): HTMLElement {
  if (!metrics) return h("section", { class: "health", "aria-label": "Health" }, h("p", { class: "muted" }, "Health numbers appear once every entry is read."));
  const { verification, rollbacks } = metrics;
  const tile = (label: string, value: string, note?: string) => h("div", { class: "tile" }, h("div", { class: "tile-value" }, value), h("div", { class: "tile-label" }, label), note ? h("div", { class: "tile-note" }, note) : null);
  return h(
    "section",
    { class: "health", "aria-label": "Health" },
    h(
      "div",
      { class: "tiles" },
      tile("changes applied", metrics.changesApplied.toLocaleString("en-US")),
      tile("verification pass rate", percent(verification.passRate), `${verification.passed.toLocaleString("en-US")} passed, ${verification.failed.toLocaleString("en-US")} failed, ${verification.notVerified.toLocaleString("en-US")} not verified`),
      tile("change failure rate", percent(rollbacks.changeFailureRate), `${plural(rollbacks.changesRolledBack, "change")} rolled back`),
      tile("median time to rollback", rollbacks.medianTimeToRollbackMs === null ? "—" : duration(rollbacks.medianTimeToRollbackMs)),
    ),
    metrics.byRule.length === 0
      ? null
      : h(
          "details",
          { class: "by-rule" },
          h("summary", {}, "Changes by rule or contract"),
          h(
            "table",
            { class: "grid" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Rule or contract"), h("th", { scope: "col" }, "Applied"), h("th", { scope: "col" }, "Rolled back"))),
            h("tbody", {}, ...metrics.byRule.slice(0, 200).map((rule) => h("tr", {}, h("td", {}, rule.subject), h("td", {}, rule.applied.toLocaleString("en-US")), h("td", {}, rule.rolledBack.toLocaleString("en-US"))))),
          ),
        ),
  );
}
