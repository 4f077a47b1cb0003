/**
 * Contracts found without being declared: every entry point of every workspace package. An
 * entry point is a `package.json` `exports` sub-path (each condition's target, nested conditions
 * included), else `types`/`typings`, else `main`. A target in the build output is mapped back to
 * the TypeScript source it was compiled from (the tsconfig's outDir/declarationDir → rootDir), so
 * the contract follows the code being edited; a `.d.ts` is used when it is all there is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";

export interface PackageEntry {
  /** Absolute folder of the package.json. */
  packageRoot: string;
  packageName: string;
  /** "0.0.0" when package.json has none. */
  version: string;
  /** `.` or `./sub/path`, as in `exports`. */
  subpath: string;
  /** Absolute path of the module whose exports are the contract; undefined when no TypeScript for it was found. */
  entryFile?: string;
  /** Where it came from, for people: `exports["./utils"].types`, `types`, `main`. */
  origin: string;
  /** Why no entry file was found. */
  problem?: string;
}

export interface PackageHost {
  readFile(file: string): string | undefined;
  fileExists(file: string): boolean;
}

export const nodePackageHost: PackageHost = {
  readFile: (file) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  },
  fileExists: (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/** Folders never holding a workspace package of ours: dependencies, VCS data, build output (as the engine's discovery skips them). */
const skippedFolders = new Set(["node_modules", "dist", "out", "build", "coverage", "bower_components"]);

/** Every package.json under the folder (dot-folders and the folders above skipped), sorted. */
export function findPackageFiles(folder: string): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  const pending = [normalizePath(folder)];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      const real = fs.realpathSync(current);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const child = `${current}/${entry.name}`;
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        if (!entry.name.startsWith(".") && !skippedFolders.has(entry.name) && isFolder(child)) pending.push(child);
      } else if (entry.name === "package.json") found.push(child);
    }
  }
  return found.sort();
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The entry points of one package; an unreadable or nameless package.json has none. */
export function packageEntries(packageJson: string, host: PackageHost = nodePackageHost): PackageEntry[] {
  const text = host.readFile(packageJson);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text ?? "") as Record<string, unknown>;
  } catch {
    return [];
  }
  if (!manifest || typeof manifest !== "object" || typeof manifest.name !== "string") return [];
  const packageRoot = normalizePath(path.dirname(packageJson));
  const base = { packageRoot, packageName: manifest.name, version: typeof manifest.version === "string" ? manifest.version : "0.0.0" };
  const mapper = new SourceMapper(packageRoot, host);
  const entries: PackageEntry[] = [];
  const add = (subpath: string, origin: string, targets: Array<{ target: string; condition: string }>) => {
    const resolved = mapper.entryFor(targets);
    entries.push({ ...base, subpath, origin: resolved?.origin ? `${origin}${resolved.origin}` : origin, ...(resolved?.file ? { entryFile: resolved.file } : { problem: `no TypeScript source or declaration file for ${targets.map((target) => target.target).join(", ") || "it"}` }) });
  };
  const exportsField = manifest.exports;
  if (exportsField !== undefined && exportsField !== null) {
    for (const [subpath, target] of subpathsOf(exportsField)) {
      if (subpath === "./package.json" || subpath.includes("*") || target === null) continue;
      add(subpath, `exports[${JSON.stringify(subpath)}]`, leaves(target, ""));
    }
    return entries;
  }
  const types = typeof manifest.types === "string" ? manifest.types : typeof manifest.typings === "string" ? manifest.typings : undefined;
  if (types) add(".", manifest.types ? "types" : "typings", [{ target: types, condition: "" }]);
  else if (typeof manifest.main === "string") add(".", "main", [{ target: manifest.main, condition: "" }]);
  else if (host.fileExists(`${packageRoot}/index.ts`) || host.fileExists(`${packageRoot}/index.d.ts`)) add(".", "index", [{ target: "./index.js", condition: "" }]);
  return entries;
}

/** `exports` as sub-path → target: a string or a conditions object is the "." entry. */
function subpathsOf(exportsField: unknown): Array<[string, unknown]> {
  if (typeof exportsField === "string" || Array.isArray(exportsField)) return [[".", exportsField]];
  if (typeof exportsField !== "object" || exportsField === null) return [];
  const keys = Object.keys(exportsField);
  if (keys.length > 0 && keys.every((key) => key.startsWith("."))) return Object.entries(exportsField as Record<string, unknown>);
  return [[".", exportsField]];
}

/** Every file a target can resolve to, depth first in the written order (Node's order), with its condition path. */
function leaves(target: unknown, condition: string): Array<{ target: string; condition: string }> {
  if (typeof target === "string") return [{ target, condition }];
  if (Array.isArray(target)) return target.flatMap((item) => leaves(item, condition));
  if (typeof target !== "object" || target === null) return [];
  return Object.entries(target as Record<string, unknown>).flatMap(([name, value]) => leaves(value, `${condition}.${name}`));
}

const sourceExtensions = [".ts", ".tsx", ".mts", ".cts"];

class SourceMapper {
  private configs: Array<{ outDirs: string[]; rootDir: string }> | undefined;

  constructor(
    private readonly packageRoot: string,
    private readonly host: PackageHost,
  ) {}

  /** The best entry among a sub-path's targets: a TypeScript source, then a target mapped back to one, then a declaration file. */
  entryFor(targets: ReadonlyArray<{ target: string; condition: string }>): { file: string; origin: string } | undefined {
    const absolute = targets.map((target) => ({ ...target, file: normalizePath(path.resolve(this.packageRoot, target.target)) }));
    const typesFirst = [...absolute].sort((a, b) => Number(b.condition.endsWith(".types")) - Number(a.condition.endsWith(".types")));
    for (const candidate of absolute) if (isSource(candidate.file) && this.host.fileExists(candidate.file)) return { file: candidate.file, origin: candidate.condition };
    for (const candidate of typesFirst) {
      const source = this.sourceOf(candidate.file);
      if (source) return { file: source, origin: candidate.condition };
    }
    for (const candidate of typesFirst) {
      const declaration = isDeclaration(candidate.file) ? candidate.file : siblingDeclaration(candidate.file);
      if (declaration && this.host.fileExists(declaration)) return { file: declaration, origin: candidate.condition };
    }
    return undefined;
  }

  /** The source a build output file came from: through a tsconfig's outDir/declarationDir and rootDir, else a source beside it. */
  private sourceOf(file: string): string | undefined {
    const stem = file.replace(/\.d\.[cm]?ts$|\.[cm]?jsx?$|\.[cm]?tsx?$/, "");
    for (const config of this.configList()) {
      for (const outDir of config.outDirs) {
        if (!stem.startsWith(`${outDir}/`)) continue;
        const found = this.withSourceExtension(`${config.rootDir}/${stem.slice(outDir.length + 1)}`);
        if (found) return found;
      }
    }
    return /\.[cm]?jsx?$/.test(file) ? this.withSourceExtension(stem) : undefined;
  }

  private withSourceExtension(stem: string): string | undefined {
    for (const extension of sourceExtensions) if (this.host.fileExists(stem + extension)) return stem + extension;
    return undefined;
  }

  private configList(): Array<{ outDirs: string[]; rootDir: string }> {
    if (this.configs) return this.configs;
    this.configs = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.packageRoot).filter((name) => /^tsconfig(\..+)?\.json$/.test(name)).sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const parsed = ts.getParsedCommandLineOfConfigFile(`${this.packageRoot}/${name}`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      if (!parsed) continue;
      const outDirs = [parsed.options.outDir, parsed.options.declarationDir].filter((folder): folder is string => typeof folder === "string").map(normalizePath);
      if (outDirs.length === 0) continue;
      const inputs = parsed.fileNames.filter((file) => !isDeclaration(file)).map(normalizePath);
      // Without rootDir, TypeScript writes output relative to the inputs' common folder.
      const rootDir = parsed.options.rootDir ? normalizePath(parsed.options.rootDir) : inputs.length > 0 ? commonFolder(inputs) : this.packageRoot;
      this.configs.push({ outDirs, rootDir });
    }
    return this.configs;
  }
}

function isSource(file: string): boolean {
  return sourceExtensions.some((extension) => file.endsWith(extension)) && !isDeclaration(file);
}

function isDeclaration(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file);
}

function siblingDeclaration(file: string): string | undefined {
  const match = /\.([cm]?)jsx?$/.exec(file);
  return match ? `${file.slice(0, match.index)}.d.${match[1]}ts` : undefined;
}

function commonFolder(files: readonly string[]): string {
  let folder = path.posix.dirname(files[0]);
  for (const file of files) while (!file.startsWith(`${folder}/`) && folder !== "/") folder = path.posix.dirname(folder);
  return folder;
}

/** `<package-name><subpath>` made safe as a file name and a policy contract name: `@acme/core` + `./utils` → `acme-core-utils`. */
export function contractNameOf(packageName: string, subpath: string): string {
  const suffix = subpath === "." ? "" : subpath.replace(/^\.\//, "-");
  const name = `${packageName}${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "package";
}
