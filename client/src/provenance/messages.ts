/**
 * The message protocol between the provenance page (media/provenance, bundled from ./page) and
 * its host (the extension, or the static report's in-page host), declared once. The page is
 * code we ship but it renders an untrusted ledger, so the host treats every message from it as
 * untrusted too: each type has a schema, a message that does not fit is refused with the reason
 * (and logged by the caller), and nothing acts on a field the schema did not check.
 * Pure: the page bundles this module.
 */
import type { EntryDetail } from "../../../server/src/engine/ledger/view/entryDetail";
import type { LedgerViewState } from "../../../server/src/engine/ledger/view/ledgerView";
import type { EntryFilter, RowsPage } from "../../../server/src/engine/ledger/view/query";
import type { HealthView } from "./healthView";

/** Names an entry as the page saw it listed: the key finds it, the id proves it is still the same entry. */
interface EntryAddress {
  key: number;
  id: string;
}

export type PageMessage =
  /** The page has loaded (or was restored): the host answers with the state. */
  | { type: "ready" }
  | { type: "rows"; requestId: number; filter: EntryFilter; offset: number; count: number }
  | ({ type: "detail"; requestId: number } & EntryAddress)
  /** The host confirms with the user before anything is written. */
  | ({ type: "rollback" } & EntryAddress)
  /** `path`: one of the entry's files; the host checks that it is. */
  | ({ type: "openFile"; path: string } & EntryAddress)
  /** `reason`: the index of the decision's reason whose policy line to open. */
  | ({ type: "openPolicy"; reason: number } & EntryAddress)
  | ({ type: "copyEntry" } & EntryAddress);

export interface ViewContext {
  /** The workspace folder's name (or the report's title). */
  folder: string;
  /** A static report: no rollback, no opening files. */
  readOnly: boolean;
}

export type NoticeLevel = "info" | "warning" | "error";

export type HostMessage =
  /** `health`: the workspace's health log, when the host has one (see healthView.ts). */
  | { type: "state"; context: ViewContext; state: LedgerViewState; health?: HealthView }
  | { type: "rows"; requestId: number; revision: number; page: RowsPage }
  /** `detail` null: no such entry any more (the ledger changed). */
  | { type: "detail"; requestId: number; key: number; id: string; detail: EntryDetail | null }
  /** `messageId`: the stable id of the message (docs/messages.md). */
  | { type: "notice"; level: NoticeLevel; messageId: string; message: string }
  /** Show this entry (the host was asked to open the view at it). */
  | { type: "reveal"; key: number; id: string };

export type Parsed = { ok: true; message: PageMessage } | { ok: false; problem: string };

type Check = (value: unknown) => string | undefined;

const maxText = 500;
const maxRows = 1000;

const integer =
  (min: number, max: number): Check =>
  (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max ? undefined : `must be a whole number from ${min} to ${max}`;

const text =
  (maxLength: number, pattern?: RegExp): Check =>
  (value) =>
    typeof value !== "string" ? "must be a string" : value.length > maxLength ? `must be at most ${maxLength} characters` : pattern && !pattern.test(value) ? `must match ${pattern}` : undefined;

const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    typeof value === "string" && allowed.includes(value) ? undefined : `must be one of ${allowed.join(", ")}`;

const entryId = text(200);
const entryKey = integer(0, Number.MAX_SAFE_INTEGER);
const dateOrTime = text(40, /^$|^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?$/);

const filterSchema: Record<keyof EntryFilter, Check> = {
  text: text(maxText),
  file: text(maxText),
  subject: text(maxText),
  kind: text(maxText),
  actor: text(maxText),
  outcome: oneOf("", "auto", "review", "deny", "none"),
  status: oneOf("", "undone", "standing"),
  from: dateOrTime,
  to: dateOrTime,
};

/** An object whose fields are all optional (the filter). */
const optionalFields =
  (schema: Record<string, Check>): Check =>
  (value) =>
    fieldsProblem(value, schema, false);

const address = { key: entryKey, id: entryId };

/** One schema per message type: every field required, no other field allowed. */
const pageMessageSchemas: { [Type in PageMessage["type"]]: Record<string, Check> } = {
  ready: {},
  rows: { requestId: integer(0, Number.MAX_SAFE_INTEGER), filter: optionalFields(filterSchema), offset: integer(0, 10_000_000), count: integer(1, maxRows) },
  detail: { requestId: integer(0, Number.MAX_SAFE_INTEGER), ...address },
  rollback: address,
  openFile: { ...address, path: text(4096) },
  openPolicy: { ...address, reason: integer(0, 10_000) },
  copyEntry: address,
};

export function parsePageMessage(value: unknown): Parsed {
  if (!isPlainObject(value)) return { ok: false, problem: "a message must be a JSON object" };
  const type = value.type;
  if (typeof type !== "string" || !Object.hasOwn(pageMessageSchemas, type)) {
    return { ok: false, problem: `unknown message type ${JSON.stringify(type)?.slice(0, 80) ?? String(type)}` };
  }
  const problem = fieldsProblem(value, { type: () => undefined, ...pageMessageSchemas[type as PageMessage["type"]] }, true);
  return problem === undefined ? { ok: true, message: value as unknown as PageMessage } : { ok: false, problem: `${type}: ${problem}` };
}

function fieldsProblem(value: unknown, schema: Record<string, Check>, required: boolean): string | undefined {
  if (!isPlainObject(value)) return "must be a JSON object";
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(schema, name)) return `unexpected field ${JSON.stringify(name.slice(0, 80))}`;
  }
  for (const [name, check] of Object.entries(schema)) {
    if (!Object.hasOwn(value, name)) {
      if (!required) continue;
      return `${name} is missing`;
    }
    const problem = check(value[name]);
    if (problem !== undefined) return `${name} ${problem}`;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The filter as the view model takes it: empty strings (a cleared input) mean "any". */
export function effectiveFilter(filter: EntryFilter): EntryFilter {
  const result: EntryFilter = {};
  for (const [name, value] of Object.entries(filter) as [keyof EntryFilter, string | undefined][]) {
    if (value !== undefined && value !== "") (result as Record<string, string>)[name] = value;
  }
  return result;
}
