/**
 * Policy globs: checked once when the policy loads, compiled once to regular expressions, then
 * matched against paths relative to the folder of the policy that wrote them.
 */
import { Minimatch, type MinimatchOptions } from "minimatch";

/** Brace sets (`{a,b}{c,d}`, `{1..99999}`) expand before matching; more patterns than this is a mistake or an attack. */
export const maxBraceExpansion = 256;

// Case-insensitive file systems must not let `src/Billing/x.ts` slip past a protected `src/billing/**`.
const options: MinimatchOptions = { dot: true, nocase: process.platform === "win32" || process.platform === "darwin" };

/** Why the glob cannot be used, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.includes("\\")) return `'${glob}' contains '\\': globs use forward slashes (to match a literal *, ? or [, put it in brackets: [*])`;
  if (glob.startsWith("/") || /^[A-Za-z]:/.test(glob)) return `'${glob}' is absolute: globs are relative to the policy's folder`;
  if (glob.split("/").includes("..")) return `'${glob}' climbs out with '..': a policy only governs files under its own folder`;
  if (braceExpansionCount(glob) > maxBraceExpansion) return `'${glob}' expands to more than ${maxBraceExpansion} patterns`;
  try {
    if (new Minimatch(normalizeGlob(glob), options).makeRe() === false) return `'${glob}' is not a valid glob`;
  } catch (error) {
    return `'${glob}' is not a valid glob: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/** `./src/**` means `src/**`; minimatch would otherwise look for a folder named `.`. */
function normalizeGlob(glob: string): string {
  let result = glob;
  while (result.startsWith("./")) result = result.slice(2);
  return result.endsWith("/") && result.length > 1 ? result.slice(0, -1) : result;
}

export interface GlobMatcher {
  readonly globs: readonly string[];
  /** The index of the first glob that matches the file or one of its folders, or -1 (also for files outside the root). */
  firstMatch(file: string): number;
}

/** Compiles valid globs (check them with `globProblem` first; an invalid one never matches). */
export function compileGlobs(globs: readonly string[], root: string): GlobMatcher {
  const expressions = globs.map((glob) => {
    if (globProblem(glob) !== undefined) return undefined;
    const expression = new Minimatch(normalizeGlob(glob), options).makeRe();
    return expression === false ? undefined : expression;
  });
  const below = relativizer(root);
  return {
    globs,
    firstMatch(file) {
      const relative = below(file);
      if (relative === undefined || relative === "") return -1;
      const candidates = withFolders(relative);
      return expressions.findIndex((expression) => expression !== undefined && candidates.some((candidate) => expression.test(candidate)));
    },
  };
}

/** `a/b/c.ts` → `a/b/c.ts`, `a/b`, `a`: a glob naming a folder covers everything inside it. */
function withFolders(relative: string): string[] {
  const result = [relative];
  for (let slash = relative.lastIndexOf("/"); slash > 0; slash = relative.lastIndexOf("/", slash - 1)) result.push(relative.slice(0, slash));
  return result;
}

export function toPosix(file: string): string {
  return file.includes("\\") ? file.replace(/\\/g, "/") : file;
}

/** The file's path below the root with forward slashes, `""` for the root itself, undefined outside it. */
export function relativeTo(root: string, file: string): string | undefined {
  return relativizer(root)(file);
}

/** `relativeTo` with the root's normalization done once: matchers call it for every file of every decision. */
export function relativizer(root: string): (file: string) => string | undefined {
  const normalizedRoot = toPosix(root).replace(/\/+$/, "");
  const prefix = options.nocase ? `${normalizedRoot}/`.toLowerCase() : `${normalizedRoot}/`;
  return (file) => {
    const normalizedFile = toPosix(file);
    if (normalizedFile === normalizedRoot) return "";
    const comparable = options.nocase ? normalizedFile.toLowerCase() : normalizedFile;
    return comparable.startsWith(prefix) ? normalizedFile.slice(prefix.length) : undefined;
  };
}

/** An upper bound on how many patterns brace expansion makes of the glob. */
export function braceExpansionCount(glob: string): number {
  let total = 1;
  for (let index = 0; index < glob.length && total <= maxBraceExpansion; index++) {
    if (glob[index] === "\\") index++;
    else if (glob[index] === "{") {
      const end = closingBrace(glob, index);
      if (end < 0) break;
      total *= groupCount(glob.slice(index + 1, end));
      index = end;
    }
  }
  return total;
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === "{") depth++;
    else if (text[index] === "}" && --depth === 0) return index;
  }
  return -1;
}

function groupCount(body: string): number {
  const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.-?(\d+))?$/.exec(body);
  if (range) {
    const [from, to] = [range[1], range[2]].map((end) => (/^-?\d+$/.test(end) ? Number(end) : end.charCodeAt(0)));
    const step = Math.max(1, Number(range[3] ?? 1));
    return Math.floor(Math.abs(to - from) / step) + 1;
  }
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index++) {
    if (body[index] === "\\") index++;
    else if (body[index] === "{") depth++;
    else if (body[index] === "}") depth--;
    else if (body[index] === "," && depth === 0) {
      alternatives.push(body.slice(start, index));
      start = index + 1;
    }
  }
  alternatives.push(body.slice(start));
  return alternatives.reduce((sum, alternative) => sum + braceExpansionCount(alternative), 0);
}
