/**
 * Test code may print as it likes. A file is a test file by its name (`*.test.*`, `*.spec.*`) or
 * by a folder on its path (`test/`, `tests/`, `__tests__/`), counted from the project's folder so
 * that a workspace which itself lives under a folder named `test` is not all exempt.
 */
const testName = /\.(test|spec)\.[cm]?[jt]sx?$/;
const testFolders = new Set(["test", "tests", "__tests__"]);

export function isTestFile(fileName: string, projectFolder: string | undefined): boolean {
  const file = fileName.replace(/\\/g, "/");
  if (testName.test(file)) return true;
  const folder = projectFolder?.replace(/\\/g, "/").replace(/\/$/, "");
  const relative = folder && file.startsWith(folder + "/") ? file.slice(folder.length + 1) : file;
  const segments = relative.split("/").slice(0, -1);
  // The project's own folder counts too: `packages/api/test/tsconfig.json` owns only tests.
  if (folder && relative !== file) segments.unshift(folder.slice(folder.lastIndexOf("/") + 1));
  return segments.some((segment) => testFolders.has(segment));
}
