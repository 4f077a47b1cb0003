/**
 * Filtering, searching and paging the summaries for a virtualized list: the page asks for a
 * window of rows (newest first) and gets only those, so 100,000 entries cost the page nothing.
 * The filtered order is kept until the filter changes, so scrolling does not filter again.
 */
import { subjectOf, type DecisionOutcome, type EntrySummary } from "./entrySummary";

export interface EntryFilter {
  /** Words that must all appear (case-insensitive) in the id, seq, kind, rule, contract, actor, files or rationale. */
  text?: string;
  /** Part of a changed file's path (case-insensitive). */
  file?: string;
  /** A rule or contract name, exactly. */
  subject?: string;
  kind?: string;
  /** An actor's kind (`user`, `cli`, `agent`) or name, exactly. */
  actor?: string;
  /** The policy decision; `none` = no policy decided. */
  outcome?: DecisionOutcome | "none";
  /** `undone`: a later rollback undid it; `standing`: not undone. */
  status?: "undone" | "standing";
  /** Dates (YYYY-MM-DD, UTC) or ISO times, both ends included. */
  from?: string;
  to?: string;
}

export const filterFields = ["text", "file", "subject", "kind", "actor", "outcome", "status", "from", "to"] as const satisfies readonly (keyof EntryFilter)[];

export interface RowsPage {
  /** Rows matching the filter, in all. */
  total: number;
  offset: number;
  rows: EntrySummary[];
}

/** The values the filters offer, from the ledger itself. */
export interface Facets {
  kinds: string[];
  subjects: string[];
  actors: string[];
}

const facetLimit = 500;

export class SummaryQuery {
  private cache?: { key: string; matches: number[] };

  /** `summaries` in ledger order (oldest first); the rows come newest first. */
  constructor(private readonly summaries: readonly EntrySummary[]) {}

  page(filter: EntryFilter, offset: number, count: number): RowsPage {
    const start = Math.max(0, Math.floor(offset));
    const size = Math.max(0, Math.floor(count));
    if (isEmptyFilter(filter)) {
      const total = this.summaries.length;
      const rows: EntrySummary[] = [];
      for (let index = start; index < Math.min(total, start + size); index++) rows.push(this.summaries[total - 1 - index]);
      return { total, offset: start, rows };
    }
    const matches = this.matching(filter);
    return { total: matches.length, offset: start, rows: matches.slice(start, start + size).map((index) => this.summaries[index]) };
  }

  /** Newest-first indices of the summaries that match. */
  private matching(filter: EntryFilter): number[] {
    const key = JSON.stringify(filterFields.map((field) => filter[field] ?? null));
    if (this.cache?.key === key) return this.cache.matches;
    const test = filterPredicate(filter);
    const matches: number[] = [];
    for (let index = this.summaries.length - 1; index >= 0; index--) if (test(this.summaries[index])) matches.push(index);
    this.cache = { key, matches };
    return matches;
  }
}

export function isEmptyFilter(filter: EntryFilter): boolean {
  return filterFields.every((field) => filter[field] === undefined || filter[field] === "");
}

/** The filter as a test on one summary; the work that does not depend on the summary is done once. */
export function filterPredicate(filter: EntryFilter): (summary: EntrySummary) => boolean {
  const words = (filter.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const file = filter.file?.toLowerCase();
  const from = filter.from ? filter.from : undefined;
  // A bare date as the upper end means the whole day: every time that day sorts before this.
  const to = filter.to ? (/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T\uffff` : filter.to) : undefined;
  return (summary) => {
    if (filter.kind && summary.kind !== filter.kind) return false;
    if (filter.subject && subjectOf(summary) !== filter.subject) return false;
    if (filter.actor && summary.actorKind !== filter.actor && summary.actorName !== filter.actor) return false;
    if (filter.outcome && (summary.outcome ?? "none") !== filter.outcome) return false;
    if (filter.status === "undone" && summary.undoneBy === undefined) return false;
    if (filter.status === "standing" && summary.undoneBy !== undefined) return false;
    // ISO 8601 UTC times sort as strings.
    if (from !== undefined && summary.time < from) return false;
    if (to !== undefined && summary.time > to) return false;
    if (file && !summary.files.some((path) => path.toLowerCase().includes(file))) return false;
    if (words.length > 0) {
      const haystack = searchText(summary);
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  };
}

function searchText(summary: EntrySummary): string {
  return [`#${summary.seq}`, summary.id, summary.kind, summary.rule ?? "", summary.contract ?? "", summary.actorKind, summary.actorName, summary.files.join("\n"), summary.rationale].join("\n").toLowerCase();
}

export function facetsOf(summaries: readonly EntrySummary[]): Facets {
  const kinds = new Set<string>();
  const subjects = new Set<string>();
  const actors = new Set<string>();
  for (const summary of summaries) {
    kinds.add(summary.kind);
    const subject = subjectOf(summary);
    if (subject !== undefined) subjects.add(subject);
    actors.add(summary.actorKind);
    if (summary.actorName) actors.add(summary.actorName);
  }
  // A hostile ledger could name a million rules; the filters offer the first few hundred, sorted.
  const sorted = (values: Set<string>) => [...values].sort().slice(0, facetLimit);
  return { kinds: sorted(kinds), subjects: sorted(subjects), actors: sorted(actors) };
}
