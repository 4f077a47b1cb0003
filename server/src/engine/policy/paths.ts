/**
 * Paths a policy names (extends, the ledger, contract files) must stay inside the workspace
 * folder: a committed policy must not make the tools read or write elsewhere on the machine,
 * whether by an absolute path, by `..`, or through a symbolic link that points out.
 */
import * as path from "node:path";
import type { PolicyHost } from "./host";

export type ResolvedPath = { path: string; problem?: undefined } | { path?: undefined; problem: string };

/** Resolves `written` against `base` and checks it stays inside `workspaceFolder`. */
export function resolveInsideFolder(written: string, base: string, workspaceFolder: string, host: PolicyHost): ResolvedPath {
  if (isAbsolutePath(written)) return { problem: `'${written}' is absolute: write it relative to the policy's folder` };
  const resolved = path.resolve(base, written);
  if (!isInside(workspaceFolder, resolved)) return { problem: `'${written}' resolves to ${resolved}, outside the workspace folder ${workspaceFolder}` };
  const realFolder = host.realpath(workspaceFolder) ?? workspaceFolder;
  // The path itself may not exist yet (a ledger about to be created); its deepest existing
  // ancestor decides where it would really land.
  for (let candidate = resolved; isInside(workspaceFolder, candidate); candidate = path.dirname(candidate)) {
    const real = host.realpath(candidate);
    if (real !== undefined) {
      if (!isInside(realFolder, real)) return { problem: `'${written}' leads through a symbolic link to ${real}, outside the workspace folder ${workspaceFolder}` };
      break;
    }
    if (path.dirname(candidate) === candidate) break;
  }
  return { path: resolved };
}

export function isAbsolutePath(written: string): boolean {
  return path.isAbsolute(written) || path.posix.isAbsolute(written) || path.win32.isAbsolute(written);
}

/** Whether `file` is `folder` or below it (lexically). */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** A path as messages show it: relative to the workspace folder with forward slashes when inside it. */
export function displayPath(file: string, workspaceFolder: string): string {
  return isInside(workspaceFolder, file) && file !== workspaceFolder ? path.relative(workspaceFolder, file).replace(/\\/g, "/") : file;
}
