/**
 * The provenance view over a ledger file, in three steps so the first rows come at once even for
 * 100,000 entries: (1) the newest entries, read backwards from the end; (2) every entry, streamed
 * from the start, kept as compact summaries with the byte offset and length of its line;
 * (3) the chain's integrity (`verifyLedger`, which streams the file again). An entry's detail is
 * read again from its offset when the page asks for it, so no patch stays in memory.
 */
import * as fs from "node:fs";
import { forEachLedgerLine } from "../ledgerLines";
import { verifyLedger } from "../verify";
import { entryDetail, type EntryDetail } from "./entryDetail";
import { linkRollbacks, summarizeEntry, type EntrySummary } from "./entrySummary";
import { integrityViewOf, trustOf, type IntegrityView } from "./integrityView";
import { ledgerMetrics, type LedgerMetrics } from "./ledgerMetrics";
import { parseLine, type LedgerView, type LedgerViewState, type ListingPhase } from "./ledgerView";
import { facetsOf, SummaryQuery, type EntryFilter, type Facets, type RowsPage } from "./query";

export interface FileLedgerViewOptions {
  /** How many of the newest entries to list before the whole file is read (default 200). */
  newest?: number;
}

/** One reading of the file: replaced whole, so a query never sees half of an old and half of a new listing. */
interface Listing {
  phase: ListingPhase;
  summaries: EntrySummary[];
  /** By key (byte offset): the line's length and the summary. */
  lines: Map<number, { length: number; summary: EntrySummary }>;
  byId: Map<string, EntrySummary>;
  unlisted: number;
  query: SummaryQuery;
  metrics?: LedgerMetrics;
  facets?: Facets;
}

const newline = 0x0a;
const backwardChunk = 256 * 1024;

export class FileLedgerView implements LedgerView {
  private listing: Listing = listingOf("newest", [], 0);
  private integrity: IntegrityView = { state: "checking" };
  private revision = 0;
  private readonly listeners = new Set<() => void>();
  private running?: Promise<void>;
  private again = false;
  private disposed = false;

  constructor(
    readonly ledgerFile: string,
    private readonly options: FileLedgerViewOptions = {},
  ) {}

  /** Reads the ledger (again), in the three steps; calls made while a reading runs are served by one more reading after it. */
  load(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.read();
        } while (this.again && !this.disposed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Called after every step (newest rows, all rows, integrity). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  state(): LedgerViewState {
    const { phase, summaries, unlisted, metrics, facets } = this.listing;
    return { revision: this.revision, listing: phase, listed: summaries.length, unlisted, integrity: this.integrity, ...(metrics ? { metrics } : {}), ...(facets ? { facets } : {}) };
  }

  rows(filter: EntryFilter, offset: number, count: number): RowsPage {
    return this.listing.query.page(filter, offset, count);
  }

  async detail(key: number, id: string): Promise<EntryDetail | undefined> {
    const listing = this.listing;
    const found = await this.entryAt(listing, key, id);
    if (!found) return undefined;
    return entryDetail(found.value, found.summary, trustOf(found.summary.line, this.integrity), (other) => listing.byId.get(other));
  }

  async entry(key: number, id: string): Promise<unknown> {
    return (await this.entryAt(this.listing, key, id))?.value;
  }

  findById(id: string): EntrySummary | undefined {
    return this.listing.byId.get(id);
  }

  private async entryAt(listing: Listing, key: number, id: string): Promise<{ value: unknown; summary: EntrySummary } | undefined> {
    const line = listing.lines.get(key);
    if (!line || line.summary.id !== id) return undefined;
    const bytes = await readRange(this.ledgerFile, key, line.length);
    const value = bytes === undefined ? undefined : parseLine(bytes.toString("utf8"));
    // The file changed under the listing (rewritten, truncated): say "not found" rather than show another entry; the watcher reloads.
    if (summarizeEntry(value, key)?.id !== id) return undefined;
    return { value, summary: line.summary };
  }

  private async read(): Promise<void> {
    this.integrity = { state: "checking" };
    try {
      if (this.listing.summaries.length === 0) {
        this.publish(await readNewest(this.ledgerFile, this.options.newest ?? 200));
      }
      this.publish(await readAll(this.ledgerFile));
      const exists = fs.existsSync(this.ledgerFile);
      this.integrity = integrityViewOf(await verifyLedger(this.ledgerFile), exists);
    } catch (error) {
      this.integrity = { state: "unreadable", reason: `${this.ledgerFile} could not be read: ${(error as Error).message}` };
      if (this.listing.phase === "newest") this.listing = listingOf("all", [], 0);
    }
    this.publish();
  }

  private publish(listing?: Listing): void {
    if (this.disposed) return;
    if (listing) this.listing = listing;
    this.revision++;
    for (const listener of this.listeners) listener();
  }
}

function listingOf(phase: ListingPhase, entries: { summary: EntrySummary; length: number }[], unlisted: number): Listing {
  const summaries = entries.map((entry) => entry.summary);
  linkRollbacks(summaries);
  const lines = new Map<number, { length: number; summary: EntrySummary }>();
  const byId = new Map<string, EntrySummary>();
  for (const entry of entries) {
    lines.set(entry.summary.key, entry);
    if (!byId.has(entry.summary.id)) byId.set(entry.summary.id, entry.summary);
  }
  const listing: Listing = { phase, summaries, lines, byId, unlisted, query: new SummaryQuery(summaries) };
  if (phase === "all") {
    listing.metrics = ledgerMetrics(summaries);
    listing.facets = facetsOf(summaries);
  }
  return listing;
}

/** Every entry, streamed from the start (4 MiB at a time). */
async function readAll(file: string): Promise<Listing> {
  const entries: { summary: EntrySummary; length: number }[] = [];
  let unlisted = 0;
  let offset = 0;
  await forEachLedgerLine(file, (line) => {
    const summary = summarizeEntry(parseLine(line.bytes.toString("utf8")), offset, line.number);
    if (summary) entries.push({ summary, length: line.bytes.length });
    else unlisted++;
    offset += line.bytes.length + 1;
  });
  return listingOf("all", entries, unlisted);
}

/** The newest `count` entries, read backwards from the end of the file (their line numbers are not known yet). */
async function readNewest(file: string, count: number): Promise<Listing> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return listingOf("newest", [], 0);
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const chunks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    // Two newlines more than lines wanted: one ends the line before the first one read, one spares a torn last line.
    while (position > 0 && newlines <= count + 1) {
      const length = Math.min(backwardChunk, position);
      position -= length;
      const chunk = Buffer.allocUnsafe(length);
      await handle.read(chunk, 0, length, position);
      for (let index = 0; index < length; index++) if (chunk[index] === newline) newlines++;
      chunks.unshift(chunk);
    }
    const data = Buffer.concat(chunks);
    const lines: { offset: number; bytes: Buffer }[] = [];
    // Unless the read reached the start of the file, the first segment is the end of an older line.
    let start = position === 0 ? 0 : data.indexOf(newline) + 1;
    for (let end = data.indexOf(newline, start); end !== -1; end = data.indexOf(newline, start)) {
      lines.push({ offset: position + start, bytes: data.subarray(start, end) });
      start = end + 1;
    }
    if (start < data.length) lines.push({ offset: position + start, bytes: data.subarray(start) });
    const entries: { summary: EntrySummary; length: number }[] = [];
    for (const line of lines.slice(-(count + 1))) {
      const summary = summarizeEntry(parseLine(line.bytes.toString("utf8")), line.offset);
      if (summary) entries.push({ summary, length: line.bytes.length });
    }
    return listingOf("newest", entries.slice(-count), 0);
  } finally {
    await handle.close();
  }
}

async function readRange(file: string, offset: number, length: number): Promise<Buffer | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return bytesRead === length ? buffer : undefined;
  } finally {
    await handle.close();
  }
}
