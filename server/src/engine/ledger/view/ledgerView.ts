/**
 * The provenance view's model of one ledger: what the page asks for (state, a window of rows,
 * one entry's detail) behind one interface, with two implementations: `FileLedgerView` reads
 * the ledger file in the extension (fileLedgerView.ts), `MemoryLedgerView` serves the lines a
 * static report embeds (here: pure, the page bundles it).
 */
import { entryDetail, type EntryDetail } from "./entryDetail";
import { linkRollbacks, summarizeEntry, type EntrySummary } from "./entrySummary";
import { trustOf, type IntegrityView } from "./integrityView";
import { ledgerMetrics, type LedgerMetrics } from "./ledgerMetrics";
import { facetsOf, SummaryQuery, type EntryFilter, type Facets, type RowsPage } from "./query";

/** `newest`: only the newest entries are listed yet (the rest is being read); `all`: every entry is listed. */
export type ListingPhase = "newest" | "all";

export interface LedgerViewState {
  /** Changes whenever the rows or the integrity may have changed: the page asks again for what it shows. */
  revision: number;
  listing: ListingPhase;
  /** Entries listed so far. */
  listed: number;
  /** Lines that are not entries (a torn tail, a malformed line): reported by the integrity, not listed. */
  unlisted: number;
  integrity: IntegrityView;
  /** Known once every entry is listed. */
  metrics?: LedgerMetrics;
  facets?: Facets;
}

export interface LedgerView {
  state(): LedgerViewState;
  /** Rows newest first. */
  rows(filter: EntryFilter, offset: number, count: number): RowsPage;
  /** The entry listed under `key`, if it is still the one with this id (the ledger may have changed since the page listed it). */
  detail(key: number, id: string): Promise<EntryDetail | undefined>;
  /** The entry as recorded (parsed JSON), under the same check. */
  entry(key: number, id: string): Promise<unknown>;
  /** The listed entry with this id (the first, if a tampered ledger repeats one). */
  findById(id: string): EntrySummary | undefined;
}

/** The lines of a ledger held in memory (the report embeds them); `key` = the line's index. */
export class MemoryLedgerView implements LedgerView {
  private readonly summaries: EntrySummary[] = [];
  private readonly byKey = new Map<number, { summary: EntrySummary; value: unknown }>();
  private readonly byId = new Map<string, EntrySummary>();
  private readonly query: SummaryQuery;
  private readonly metrics: LedgerMetrics;
  private readonly facets: Facets;
  private unlisted = 0;

  constructor(
    lines: readonly string[],
    private readonly integrity: IntegrityView,
  ) {
    lines.forEach((text, index) => {
      const value = parseLine(text);
      const summary = value === undefined ? undefined : summarizeEntry(value, index, index + 1);
      if (!summary) {
        this.unlisted++;
        return;
      }
      this.summaries.push(summary);
      this.byKey.set(index, { summary, value });
      if (!this.byId.has(summary.id)) this.byId.set(summary.id, summary);
    });
    linkRollbacks(this.summaries);
    this.query = new SummaryQuery(this.summaries);
    this.metrics = ledgerMetrics(this.summaries);
    this.facets = facetsOf(this.summaries);
  }

  state(): LedgerViewState {
    return { revision: 1, listing: "all", listed: this.summaries.length, unlisted: this.unlisted, integrity: this.integrity, metrics: this.metrics, facets: this.facets };
  }

  rows(filter: EntryFilter, offset: number, count: number): RowsPage {
    return this.query.page(filter, offset, count);
  }

  async detail(key: number, id: string): Promise<EntryDetail | undefined> {
    const found = this.byKey.get(key);
    if (found?.summary.id !== id) return undefined;
    return entryDetail(found.value, found.summary, trustOf(found.summary.line, this.integrity), (other) => this.byId.get(other));
  }

  async entry(key: number, id: string): Promise<unknown> {
    const found = this.byKey.get(key);
    return found?.summary.id === id ? found.value : undefined;
  }

  findById(id: string): EntrySummary | undefined {
    return this.byId.get(id);
  }
}

/** A line's JSON value, or undefined when it does not parse (a torn tail). */
export function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
