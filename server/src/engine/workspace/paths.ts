import * as path from "node:path";

/** The engine's one spelling of a path: absolute, forward slashes (what TypeScript uses too). */
export function normalizePath(file: string): string {
  return path.resolve(file).replace(/\\/g, "/");
}

export function isUnder(file: string, folder: string): boolean {
  const normalizedFolder = folder.endsWith("/") ? folder : folder + "/";
  return file === folder || file.startsWith(normalizedFolder);
}

/** `file` relative to the folder of `from`, always with a leading `./` or `../` so it reads as a path. */
export function displayPath(file: string, from: string): string {
  const relative = path.posix.relative(path.posix.dirname(from), file);
  return relative.startsWith(".") ? relative : "./" + relative;
}

export function relativePath(file: string, root: string): string {
  return path.posix.relative(root, file) || path.posix.basename(file);
}

const sourceExtensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export function isSourceFile(file: string): boolean {
  return sourceExtensions.some((extension) => file.endsWith(extension)) && !isDeclarationFile(file);
}

export function isDeclarationFile(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file) || /\.d\.[^/]*\.ts$/.test(file);
}

export function isJavaScript(file: string): boolean {
  return /\.[cm]?jsx?$/.test(file);
}
