/// <reference lib="dom" />
/** The top of the page: the chain's integrity (the first thing a reviewer must know) and the ledger's health numbers. */
import type { IntegrityView } from "../../../../server/src/engine/ledger/view/integrityView";
import type { LedgerViewState } from "../../../../server/src/engine/ledger/view/ledgerView";
import type { LedgerMetrics } from "../../../../server/src/engine/ledger/view/ledgerMetrics";
import type { HealthView } from "../healthView";
import { button, h, type Child } from "./dom";
import { duration, percent, plural, shortHash, shortTime } from "./format";
import { sparkline } from "./sparkline";

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

export function healthView(metrics: LedgerMetrics | undefined, health: HealthView | undefined): HTMLElement {
  const workspace = workspaceHealth(health);
  if (!metrics) return h("section", { class: "health", "aria-label": "Health" }, workspace, h("p", { class: "muted" }, "Change outcomes appear once every entry is read."));
  const { verification, rollbacks } = metrics;
  return h(
    "section",
    { class: "health", "aria-label": "Health" },
    workspace,
    h(
      "div",
      { class: "tiles", "data-health": "changes" },
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
          countTable(
            ["Rule or contract", "Applied", "Rolled back"],
            metrics.byRule.slice(0, 200).map((rule) => [rule.subject, rule.applied, rule.rolledBack]),
          ),
        ),
  );
}

function tile(label: string, value: string, note?: string, ...extra: Child[]): HTMLElement {
  return h("div", { class: "tile" }, h("div", { class: "tile-value" }, value), h("div", { class: "tile-label" }, label), note ? h("div", { class: "tile-note" }, note) : null, ...extra);
}

/** The workspace's findings from its health log: the debt index now and over time, findings by rule and by folder now. */
function workspaceHealth(health: HealthView | undefined): HTMLElement | null {
  if (!health) return null;
  const latest = health.samples[health.samples.length - 1];
  const skipped =
    health.problemCount === 0
      ? null
      : h(
          "p",
          { class: "muted health-problems", "data-message-id": "health-log-bad-line" },
          `${plural(health.problemCount, "line")} of .selfheal/health.jsonl could not be read and ${health.problemCount === 1 ? "was" : "were"} skipped (first: line ${health.problems[0]?.line}: ${health.problems[0]?.detail}).`,
        );
  if (!latest) return h("div", { class: "workspace-health", "data-health": "empty" }, h("p", { class: "muted" }, "No health samples yet: the language server (or `selfheal check --record-health`) records them in .selfheal/health.jsonl."), skipped);
  const first = health.samples[0];
  const trend = sparkline(
    health.samples.map((sample) => ({ time: sample.time, value: sample.debtIndex })),
    `Debt index over time: ${first.debtIndex} on ${shortTime(first.time)}, ${latest.debtIndex} on ${shortTime(latest.time)} (${plural(health.samples.length, "sample")})`,
  );
  const byCount = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, 200);
  return h(
    "div",
    { class: "workspace-health", "data-health": "workspace" },
    h(
      "div",
      { class: "tiles" },
      tile("debt index (weighted findings per 1,000 lines)", String(latest.debtIndex), `${plural(latest.errors, "error")}, ${plural(latest.warnings, "warning")} in ${plural(latest.files, "file")}; sampled ${shortTime(latest.time)}`, trend ? h("div", { class: "trend", "data-health": "trend" }, trend) : null),
    ),
    h("details", { class: "by-rule", "data-health": "by-rule" }, h("summary", {}, "Findings by rule (now)"), countTable(["Rule", "Findings"], byCount(latest.byRule))),
    h("details", { class: "by-rule", "data-health": "by-folder" }, h("summary", {}, "Findings by folder (now)"), countTable(["Folder", "Findings"], byCount(latest.byFolder))),
    skipped,
  );
}

function countTable(headings: string[], rows: (string | number)[][]): HTMLElement {
  return h(
    "table",
    { class: "grid" },
    h("thead", {}, h("tr", {}, ...headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", {}, typeof cell === "number" ? cell.toLocaleString("en-US") : cell))))),
  );
}
