import { fileURLToPath, pathToFileURL } from "node:url";
import { normalizePath } from "../engine/workspace/paths";

/** Only `file:` documents are analyzed; untitled buffers and other schemes have no project. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return normalizePath(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}
