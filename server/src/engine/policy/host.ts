/**
 * Everything the policy loader needs from the outside world, so tests can hand it an in-memory
 * workspace, a symlink farm or a fixed clock.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface PolicyHost {
  /** The file's text, or undefined when it cannot be read (missing, a folder, no permission). */
  readFile(file: string): string | undefined;
  /** The path with every symbolic link resolved, or undefined when it does not exist. */
  realpath(file: string): string | undefined;
  now(): Date;
}

/** Policy files over this size are refused unread (`policy-too-large`). */
export const maxPolicyBytes = 256 * 1024;

export const nodePolicyHost: PolicyHost = {
  readFile(file) {
    // Reading one byte past the limit is enough to refuse a file; a multi-gigabyte file (or
    // /dev/zero behind a symlink) is never pulled into memory.
    let descriptor: number | undefined;
    try {
      descriptor = fs.openSync(file, "r");
      if (!fs.fstatSync(descriptor).isFile()) return undefined;
      const buffer = Buffer.alloc(maxPolicyBytes + 1);
      let length = 0;
      while (length < buffer.length) {
        const read = fs.readSync(descriptor, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
      }
      // Editors hide a byte order mark; dropping it keeps columns where the editor shows them.
      const text = buffer.toString("utf8", 0, length);
      return text.startsWith("\uFEFF") ? text.slice(1) : text;
    } catch {
      return undefined;
    } finally {
      if (descriptor !== undefined) fs.closeSync(descriptor);
    }
  },
  realpath(file) {
    try {
      return fs.realpathSync.native(file);
    } catch {
      return undefined;
    }
  },
  now: () => new Date(),
};

export const policyFileName = ".selfheal/policy.yaml";

/** The folder a policy's paths are relative to: the one containing `.selfheal/`, or, for a policy file elsewhere (`./shared/base.yaml`), the file's own folder. */
export function policyRootOf(policyFile: string): string {
  const folder = path.dirname(policyFile);
  return path.basename(folder) === ".selfheal" ? path.dirname(folder) : folder;
}
