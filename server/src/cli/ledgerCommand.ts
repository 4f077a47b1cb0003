import * as fs from "node:fs";
import * as path from "node:path";
import type { LedgerEntry } from "../engine/ledger/entry";
import { pendingIntents } from "../engine/ledger/intents";
import { LedgerError } from "../engine/ledger/ledgerError";
import { repairTornTail } from "../engine/ledger/repairTornTail";
import { describeBreak, rollbackRecordedEntry } from "../engine/ledger/rollbackEntry";
import { readLedger, verifyLedger } from "../engine/ledger/verify";
import type { LedgerLocation } from "../engine/ledger/workspacePaths";
import { folderLedger } from "../engine/policy/folderLedger";
import { cliActor } from "./actor";
import { parseArgs, UsageError } from "./args";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";

/** For main's usage text. */
export const ledgerUsage = `  selfheal ledger verify [FOLDER] [--json]              check the chain; exit 1 names the first bad entry
  selfheal ledger show [FOLDER] [--json]                list the entries
  selfheal ledger rollback ID [FOLDER]                  undo an entry (ID or a unique prefix of it)
  selfheal ledger repair [FOLDER]                       move a torn last line aside and record that`;

/**
 * `selfheal ledger verify|show|rollback|repair`. Exit 0 when the ledger is intact and the
 * operation happened; 1 when the ledger is not intact or the operation was refused (the message
 * starts with its id, see docs/messages.md); 2 for a wrong command line.
 */
export async function ledgerCommand(argv: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    switch (subcommand) {
      case "verify":
        return await verifyCommand(rest, io);
      case "show":
        return await showCommand(rest, io);
      case "rollback":
        return await rollbackCommand(rest, io);
      case "repair":
        return await repairCommand(rest, io);
      default:
        throw new UsageError(`ledger needs a subcommand: verify, show, rollback or repair${subcommand === undefined ? "" : ` (not '${subcommand}')`}`);
    }
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    io.stderr(`selfheal: ${error.id}: ${error.message}\n`);
    return ExitCode.findings;
  }
}

async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [], ["json"]);
  const location = locationOf(args.positionals, 1, "verify");
  const integrity = await verifyLedger(location.ledgerFile);
  warnAboutIntents(location, io);
  if (args.flags.has("json")) {
    io.stdout(JSON.stringify(integrity, null, 2) + "\n");
  } else if (!fs.existsSync(location.ledgerFile)) {
    io.stdout(`no ledger at ${shown(location)}: nothing has been recorded yet\n`);
  } else if (integrity.intact) {
    const head = integrity.head ? `, head seq ${integrity.head.seq} (${integrity.head.hash.slice(0, 12)}…)` : "";
    io.stdout(`ledger intact: ${integrity.entries} ${integrity.entries === 1 ? "entry" : "entries"}${head} in ${shown(location)}\n`);
  } else {
    io.stdout(`${describeBreak(integrity.firstBad)}\n${integrity.entries} ${integrity.entries === 1 ? "entry" : "entries"} before it ${integrity.entries === 1 ? "is" : "are"} intact (${shown(location)})\n`);
  }
  return integrity.intact ? ExitCode.ok : ExitCode.findings;
}

async function showCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [], ["json"]);
  const location = locationOf(args.positionals, 1, "show");
  const { entries, integrity } = await readLedger(location.ledgerFile);
  if (args.flags.has("json")) io.stdout(JSON.stringify(entries, null, 2) + "\n");
  else io.stdout(formatEntries(entries, location));
  if (!integrity.intact) io.stderr(`selfheal: the ledger is not intact: ${describeBreak(integrity.firstBad)}\n`);
  return integrity.intact ? ExitCode.ok : ExitCode.findings;
}

async function rollbackCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [], []);
  const [idOrPrefix, ...folder] = args.positionals;
  if (idOrPrefix === undefined) throw new UsageError("ledger rollback needs the id of the entry to undo (see `selfheal ledger show`)");
  const location = locationOf(folder, 1, "rollback");
  const done = await rollbackRecordedEntry(location, idOrPrefix, cliActor(), "`selfheal ledger show` lists them");
  for (const outcome of done.reconciled) io.stderr(`note: ${outcome.id}: ${outcome.message}\n`);
  const how = done.exact ? "exactly" : "around later edits";
  io.stdout(
    `rolled back entry ${done.undone.predicate.id} (seq ${done.undone.predicate.chain.seq}) ${how}: ${done.files.join(", ")}\n` +
      `recorded as entry ${done.recorded.predicate.id} (seq ${done.recorded.predicate.chain.seq})\n`,
  );
  return ExitCode.ok;
}

async function repairCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [], []);
  const location = locationOf(args.positionals, 1, "repair");
  const repair = await repairTornTail(location, cliActor());
  if (!repair) {
    io.stdout(`nothing to repair: ${shown(location)} ends in a whole entry\n`);
    return ExitCode.ok;
  }
  io.stdout(
    `moved ${repair.bytes} torn byte(s) to ${path.relative(location.root, repair.movedTo)} (${repair.reasons.join("; ")})\n` +
      `recorded as entry ${repair.entry.predicate.id} (seq ${repair.entry.predicate.chain.seq})\n`,
  );
  return ExitCode.ok;
}

function locationOf(positionals: string[], max: number, subcommand: string): LedgerLocation {
  if (positionals.length > max) throw new UsageError(`ledger ${subcommand} takes one folder (got ${positionals.join(" ")})`);
  const folder = path.resolve(positionals[0] ?? ".");
  if (!fs.existsSync(folder)) throw new UsageError(`no such folder: ${folder}`);
  if (!fs.statSync(folder).isDirectory()) throw new UsageError(`not a folder: ${folder} (give the workspace folder that holds .selfheal/)`);
  const ledger = folderLedger(folder);
  if (!ledger.ok) throw new LedgerError("ledger-location-unknown", ledger.message);
  return ledger.location;
}



function formatEntries(entries: readonly LedgerEntry[], location: LedgerLocation): string {
  if (entries.length === 0) return `no entries in ${shown(location)}\n`;
  const undoneBy = new Map(entries.filter((entry) => entry.predicate.undoes !== undefined).map((entry) => [entry.predicate.undoes as string, entry.predicate.chain.seq]));
  const rows = entries.map((entry) => {
    const { chain, time, kind, rule, contract, actor, id, files } = entry.predicate;
    const notes = [entry.predicate.reconciled ? "reconciled" : "", undoneBy.has(id) ? `undone by seq ${undoneBy.get(id)}` : ""].filter(Boolean);
    return [
      String(chain.seq),
      time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
      kind,
      rule ?? contract ?? "-",
      `${actor.kind}:${actor.name}`,
      id.slice(0, 8),
      files.map((file) => file.path).join(", ") + (notes.length > 0 ? ` (${notes.join(", ")})` : ""),
    ];
  });
  const header = ["seq", "time", "kind", "rule", "actor", "id", "files"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : column === 0 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

function warnAboutIntents(location: LedgerLocation, io: CliIo): void {
  const pending = pendingIntents(location);
  if (pending.length > 0) {
    io.stderr(`warning: ${pending.length} change(s) were written without being recorded yet (${path.relative(location.root, location.intentsDir)}); the language server or \`selfheal ledger rollback\` settles them\n`);
  }
}


function shown(location: LedgerLocation): string {
  return path.relative(process.cwd(), location.ledgerFile) || location.ledgerFile;
}

