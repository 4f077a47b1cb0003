/**
 * The end of the ledger, read without reading the rest: what an append needs (the last seq and
 * hash) and whether the last line is whole. Entries can be large (patches), so the last line is
 * found by reading backwards in chunks.
 */
import * as fs from "node:fs";

export type LedgerTail =
  | { state: "empty" }
  | { state: "ok"; seq: number; hash: string }
  /** `offset`: where the torn bytes start (the start of the last line). */
  | { state: "torn"; offset: number; bytes: number; reason: string };

const chunkBytes = 64 * 1024;
const newline = 0x0a;

export function readTail(ledgerFile: string): LedgerTail {
  let fd: number;
  try {
    fd = fs.openSync(ledgerFile, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "empty" };
    throw error;
  }
  try {
    return readTailOf(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The tail of an open ledger file, or of its first `size` bytes (the caller holds the lock, so the size does not move under us). */
export function readTailOf(fd: number, size = fs.fstatSync(fd).size): LedgerTail {
  if (size === 0) return { state: "empty" };
  const lastByte = Buffer.alloc(1);
  fs.readSync(fd, lastByte, 0, 1, size - 1);
  if (lastByte[0] !== newline) {
    const offset = lineStart(fd, size);
    return { state: "torn", offset, bytes: size - offset, reason: "the last line lacks its newline (a write was interrupted)" };
  }
  const offset = lineStart(fd, size - 1);
  const line = Buffer.alloc(size - 1 - offset);
  fs.readSync(fd, line, 0, line.length, offset);
  const link = chainLinkOf(line.toString("utf8"));
  if (typeof link === "string") return { state: "torn", offset, bytes: size - offset, reason: link };
  return { state: "ok", ...link };
}

/** The offset just after the last newline before `end` (0 if there is none). */
function lineStart(fd: number, end: number): number {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let position = end;
  while (position > 0) {
    const length = Math.min(chunkBytes, position);
    position -= length;
    fs.readSync(fd, chunk, 0, length, position);
    const found = chunk.subarray(0, length).lastIndexOf(newline);
    if (found !== -1) return position + found + 1;
  }
  return 0;
}

function chainLinkOf(text: string): { seq: number; hash: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "the last line does not parse as JSON (a write was interrupted or the file was edited)";
  }
  const chain = (value as { predicate?: { chain?: { seq?: unknown; hash?: unknown } } } | null)?.predicate?.chain;
  if (!chain || !Number.isInteger(chain.seq) || (chain.seq as number) < 1 || typeof chain.hash !== "string" || !/^[0-9a-f]{64}$/.test(chain.hash)) {
    return "the last line is JSON but not a ledger entry (no predicate.chain with seq and hash)";
  }
  return { seq: chain.seq as number, hash: chain.hash };
}
