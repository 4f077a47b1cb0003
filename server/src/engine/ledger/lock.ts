/**
 * An exclusive lock between processes (two editor windows and the CLI) for ledger writes.
 *
 * A lock file created with O_EXCL holding the owner's pid, host, start time and a random token.
 * Why not `proper-lockfile`: it brings three dependencies (graceful-fs, retry, signal-exit 3),
 * judges staleness only by mtime (so it must keep touching the file while held), and cannot
 * tell that the owner died; our holds last milliseconds, and a dead pid on the same host is a
 * certain answer, so a 150-line lock says more with less.
 *
 * A lock is stale when its owner is a dead process on this host, or when it is older than
 * `staleMs` (another host, or a pid reused by an unrelated process). Breaking a stale lock takes
 * a second, short-lived lock (`<lock>.break`) and removes the lock only if it still holds the
 * very bytes judged stale, so two processes breaking the same lock cannot remove a fresh one.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import { LedgerError } from "./ledgerError";

export interface LockOptions {
  /** Give up waiting after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is stale whoever holds it (default 30 s; a ledger write holds it for milliseconds). */
  staleMs?: number;
  /** Told about each stale lock removed (message id `ledger-stale-lock`). */
  onStaleLock?: (message: string) => void;
}

export interface LockOwner {
  pid: number;
  hostname: string;
  /** Milliseconds since the epoch. */
  acquiredAt: number;
  token: string;
}

export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  release(): void;
}

const defaultTimeoutMs = 10_000;
const defaultStaleMs = 30_000;
/** An unreadable lock file is one whose writer died between creating and filling it: its content takes microseconds. */
const emptyLockGraceMs = 2_000;
/** The breaker lock is held for one read and one unlink. */
const staleBreakerMs = 5_000;

export async function acquireLock(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const staleMs = options.staleMs ?? defaultStaleMs;
  const started = Date.now();
  let delayMs = 1;
  for (;;) {
    const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), acquiredAt: Date.now(), token: randomBytes(8).toString("hex") };
    if (tryCreate(file, owner)) return heldLock(file, owner);
    const observed = readLockFile(file);
    // Released between our attempt and our look: try again at once.
    if (observed === undefined) continue;
    const staleness = whyStale(observed, staleMs);
    if (staleness !== undefined && breakStaleLock(file, observed.raw)) {
      options.onStaleLock?.(`removed a stale ledger lock ${file}: ${staleness}`);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const holder = observed.owner ? `pid ${observed.owner.pid} on ${observed.owner.hostname} since ${new Date(observed.owner.acquiredAt).toISOString()}` : "an unknown process";
      throw new LedgerError("ledger-lock-timeout", `could not lock the ledger within ${timeoutMs} ms: ${file} is held by ${holder}`);
    }
    // Jitter keeps waiting processes from retrying in lockstep.
    await new Promise((resolve) => setTimeout(resolve, delayMs + Math.random() * delayMs));
    delayMs = Math.min(delayMs * 2, 25);
  }
}

/** Runs `action` holding the lock, and releases it however `action` ends. */
export async function withLock<T>(file: string, action: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(file, options);
  try {
    return await action();
  } finally {
    lock.release();
  }
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(owner));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function heldLock(file: string, owner: LockOwner): HeldLock {
  let released = false;
  return {
    file,
    owner,
    release() {
      if (released) return;
      released = true;
      // Only our own lock: if it was broken as stale while we held it, the file now belongs to someone else.
      if (readOwner(file)?.token === owner.token) fs.rmSync(file, { force: true });
    },
  };
}

interface ObservedLock {
  raw: string;
  owner?: LockOwner;
  modifiedAt: number;
}

function readLockFile(file: string): ObservedLock | undefined {
  try {
    const raw = fs.readFileSync(file, "utf8");
    const modifiedAt = fs.statSync(file).mtimeMs;
    return { raw, owner: parseOwner(raw), modifiedAt };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return parseOwner(fs.readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.hostname === "string" && Number.isFinite(value.acquiredAt) && typeof value.token === "string") return value as LockOwner;
  } catch {
    // Half-written by an owner that died between open and write: judged by its age below.
  }
  return undefined;
}

/** Why the lock is stale, or undefined while its owner may still be using it. */
function whyStale(observed: { owner?: LockOwner; modifiedAt: number }, staleMs: number, now = Date.now()): string | undefined {
  const { owner } = observed;
  if (!owner) {
    const age = Math.round(now - observed.modifiedAt);
    return age > emptyLockGraceMs ? `its content is unreadable and it is ${age} ms old` : undefined;
  }
  if (owner.hostname === os.hostname() && owner.pid !== process.pid && !isProcessAlive(owner.pid)) return `its owner, pid ${owner.pid}, is no longer running`;
  const age = Math.round(now - owner.acquiredAt);
  return age > staleMs ? `held by pid ${owner.pid} on ${owner.hostname} for ${age} ms (over ${staleMs} ms)` : undefined;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function breakStaleLock(file: string, staleContent: string): boolean {
  const breaker = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breaker, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process is breaking it right now, or died doing so.
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > staleBreakerMs) fs.rmSync(breaker, { force: true });
    } catch {
      // Gone already: the other breaker finished.
    }
    return false;
  }
  fs.closeSync(fd);
  try {
    const current = readLockFile(file);
    if (current?.raw !== staleContent) return false;
    fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}
