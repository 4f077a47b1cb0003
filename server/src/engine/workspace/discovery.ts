import * as fs from "node:fs";
import * as path from "node:path";
import { isSourceFile, normalizePath } from "./paths";

/**
 * Folders never worth walking: dependencies, VCS data and build output. Build output holds
 * compiled copies of the sources; analyzing them would report every finding twice.
 */
const skippedFolderNames = new Set(["node_modules", "dist", "out", "build", "coverage", "bower_components"]);

/**
 * Whether a folder between `root` and `file` is one the walk skips. A tsconfig without
 * `include` globs build output too, so ownership applies the same rule as discovery.
 */
export function isInSkippedFolder(file: string, root: string): boolean {
  return path.posix.relative(root, file).split("/").slice(0, -1).some((name) => skippedFolderNames.has(name));
}

export interface DiscoveredFiles {
  configFiles: string[];
  sourceFiles: string[];
  /** `.selfheal/policy.yaml` files: the one nearest above a file governs it. */
  policyFiles: string[];
}

/**
 * Walks a workspace folder once, collecting tsconfig/jsconfig files and source files.
 * Symbolic links are followed, but a folder reached twice through its real path is walked
 * once, so a symlink loop ends the walk instead of hanging it.
 */
export function discoverWorkspace(root: string, isExcluded: (folder: string) => boolean = () => false): DiscoveredFiles {
  const configFiles: string[] = [];
  const sourceFiles: string[] = [];
  const policyFiles: string[] = [];
  const visitedRealPaths = new Set<string>();
  const pending = [normalizePath(root)];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let realFolder: string;
    let entries: fs.Dirent[];
    try {
      realFolder = fs.realpathSync(folder);
      if (visitedRealPaths.has(realFolder)) continue;
      visitedRealPaths.add(realFolder);
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue; // Deleted or unreadable while we walked: there is nothing in it to analyze.
    }
    for (const entry of entries) {
      const child = `${folder}/${entry.name}`;
      const kind = entry.isSymbolicLink() ? statKind(child) : entry.isDirectory() ? "folder" : entry.isFile() ? "file" : undefined;
      if (kind === "folder") {
        // Dot-folders are not walked, but a policy folder is looked into.
        if (entry.name === ".selfheal" && statKind(`${child}/policy.yaml`) === "file") policyFiles.push(`${child}/policy.yaml`);
        if (!entry.name.startsWith(".") && !skippedFolderNames.has(entry.name) && !isExcluded(child)) pending.push(child);
      } else if (kind === "file") {
        if (/^(tsconfig|jsconfig)(\..+)?\.json$/.test(entry.name)) configFiles.push(child);
        else if (isSourceFile(entry.name)) sourceFiles.push(child);
      }
    }
  }
  return { configFiles: configFiles.sort(compareConfigFiles), sourceFiles: sourceFiles.sort(), policyFiles: policyFiles.sort() };
}

function statKind(file: string): "folder" | "file" | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isDirectory() ? "folder" : stat.isFile() ? "file" : undefined;
  } catch {
    return undefined; // A dangling link.
  }
}

/**
 * Deep before shallow, and `tsconfig.json` before `tsconfig.build.json`: the first project to
 * claim a file owns it, so a file belongs to its nearest config, as in tsserver.
 */
function compareConfigFiles(a: string, b: string): number {
  const depth = (file: string) => file.split("/").length;
  const plain = (file: string) => (/^(tsconfig|jsconfig)\.json$/.test(path.basename(file)) ? 0 : 1);
  return depth(b) - depth(a) || plain(a) - plain(b) || (a < b ? -1 : a > b ? 1 : 0);
}
