import * as fs from "node:fs";

export interface LedgerLine {
  /** 1-based. */
  number: number;
  /** The line's bytes without its newline. */
  bytes: Buffer;
  /** False only for a last line that lacks its newline. */
  terminated: boolean;
}

const chunkBytes = 4 << 20;
const newline = 0x0a;

/**
 * Calls `onLine` for each line of the ledger, reading 4 MiB at a time so a 100,000-entry ledger
 * never sits in memory whole. Lines are handed over as bytes, synchronously: verification hashes
 * the bytes as they are, and a callback per line costs far less than an async iterator's promise
 * per line (the difference is a third of the time on 100,000 entries). A missing file has no lines.
 */
export async function forEachLedgerLine(file: string, onLine: (line: LedgerLine) => void): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    let carry: Buffer = Buffer.alloc(0);
    let number = 0;
    for (;;) {
      // A fresh buffer per chunk: the lines handed out are views into it.
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let end = data.indexOf(newline); end !== -1; end = data.indexOf(newline, start)) {
        onLine({ number: ++number, bytes: data.subarray(start, end), terminated: true });
        start = end + 1;
      }
      carry = data.subarray(start);
    }
    if (carry.length > 0) onLine({ number: ++number, bytes: carry, terminated: false });
  } finally {
    await handle.close();
  }
}
