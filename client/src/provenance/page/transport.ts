/// <reference lib="dom" />
/**
 * How the page reaches its host. In VS Code: the webview's message channel. In a static report:
 * a host inside the page (the same `ProvenanceSession` over the lines the report embeds), with
 * no actions but copying.
 */
import type { IntegrityView } from "../../../../server/src/engine/ledger/view/integrityView";
import { MemoryLedgerView } from "../../../../server/src/engine/ledger/view/ledgerView";
import type { EntryFilter } from "../../../../server/src/engine/ledger/view/query";
import type { HealthSeries } from "../../../../server/src/engine/health/healthSample";
import { healthViewOf } from "../healthView";
import type { HostMessage, PageMessage } from "../messages";
import { ActionRefused, ProvenanceSession } from "../session";

/** What the page remembers across being hidden and shown again (VS Code keeps it with the webview). */
export interface PersistedState {
  filter: EntryFilter;
  selected?: { key: number; id: string };
  diff?: "forward" | "rollback";
  layout?: "unified" | "split";
}

export interface Transport {
  post(message: PageMessage): void;
  onMessage(handler: (message: HostMessage) => void): void;
  loadState(): PersistedState | undefined;
  saveState(state: PersistedState): void;
}

/** The data a report embeds in `<script type="application/json" id="ledger-data">` (written by server/src/cli/reportCommand.ts). */
export interface ReportData {
  format: "selfheal-provenance-report/1";
  title: string;
  generatedAt: string;
  integrity: IntegrityView;
  /** Every line of the ledger as recorded, in order (a line that is not an entry too, so line numbers match the integrity's). */
  lines: string[];
  /** The workspace's health log (`.selfheal/health.jsonl`), when it has one. */
  health?: HealthSeries;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function webviewTransport(): Transport {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) =>
      window.addEventListener("message", (event: MessageEvent<unknown>) => {
        if (typeof event.data === "object" && event.data !== null && typeof (event.data as { type?: unknown }).type === "string") handler(event.data as HostMessage);
      }),
    loadState: () => persistedState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}

export function reportTransport(data: ReportData): Transport {
  const handlers: ((message: HostMessage) => void)[] = [];
  const view = new MemoryLedgerView(data.lines, data.integrity);
  // Answers arrive asynchronously, as they do from the extension, so the page has one code path.
  const deliver = (message: HostMessage) => setTimeout(() => handlers.forEach((handler) => handler(message)), 0);
  const copy = async (json: string) => {
    try {
      await navigator.clipboard.writeText(json);
    } catch {
      // A report opened from disk may not be allowed the clipboard.
      throw new ActionRefused("provenance-copy-unavailable", "This browser does not let the report use the clipboard; the entry's JSON is under \"Entry as recorded (JSON)\".", "info");
    }
  };
  const health = data.health ? healthViewOf(data.health) : undefined;
  const session = new ProvenanceSession(view, { folder: data.title, readOnly: true }, deliver, { copy }, (line) => console.warn(line), () => health);
  let remembered: PersistedState | undefined;
  return {
    post: (message) => void session.receive(message),
    onMessage: (handler) => handlers.push(handler),
    loadState: () => remembered,
    saveState: (state) => (remembered = state),
  };
}

/** What VS Code kept for the page, if it has the shape this version writes (an older page may have kept something else). */
function persistedState(value: unknown): PersistedState | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { filter, selected, diff, layout } = value as Record<string, unknown>;
  if (typeof filter !== "object" || filter === null || !Object.values(filter).every((field) => typeof field === "string")) return undefined;
  const state: PersistedState = { filter: filter as EntryFilter };
  const entry = selected as { key?: unknown; id?: unknown } | undefined;
  if (typeof entry?.key === "number" && typeof entry.id === "string") state.selected = { key: entry.key, id: entry.id };
  if (diff === "forward" || diff === "rollback") state.diff = diff;
  if (layout === "unified" || layout === "split") state.layout = layout;
  return state;
}
