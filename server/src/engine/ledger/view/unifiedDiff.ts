/**
 * Reading a recorded patch for display: files, hunks, and each line with its old and new line
 * number. The ledger writes git-style unified diffs (jsdiff); this reader never throws, because
 * a tampered entry's patch is still worth showing as far as it makes sense. Lines it cannot
 * place are kept as notes, not dropped, so nothing in the record is hidden from the reviewer.
 */
export type DiffLineKind = "context" | "added" | "removed" | "note";

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its +/-/space marker. */
  text: string;
  oldLine?: number;
  newLine?: number;
}

export interface DiffHunk {
  header: string;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Workspace-relative; null for /dev/null (the file did not exist on that side). */
  oldPath: string | null;
  newPath: string | null;
  hunks: DiffHunk[];
  /** Lines before the first hunk that are not headers (shown as notes). */
  notes: string[];
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(patch: string): DiffFile[] {
  const files: DiffFile[] = [];
  const lines = patch.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let file: DiffFile | undefined;
  let hunk: DiffHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith("--- ") && lines[index + 1]?.startsWith("+++ ")) {
      file = { oldPath: headerPath(line.slice(4), "a/"), newPath: headerPath(lines[index + 1].slice(4), "b/"), hunks: [], notes: [] };
      files.push(file);
      hunk = undefined;
      index++;
      continue;
    }
    const header = hunkHeader.exec(line);
    if (header) {
      file ??= pushFile(files);
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      continue;
    }
    if (!hunk) {
      file ??= pushFile(files);
      file.notes.push(line);
      continue;
    }
    const marker = line[0];
    const text = line.slice(1);
    if (marker === " ") hunk.lines.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    else if (marker === "-") hunk.lines.push({ kind: "removed", text, oldLine: oldLine++ });
    else if (marker === "+") hunk.lines.push({ kind: "added", text, newLine: newLine++ });
    else hunk.lines.push({ kind: "note", text: line });
  }
  return files;
}

function pushFile(files: DiffFile[]): DiffFile {
  const file: DiffFile = { oldPath: null, newPath: null, hunks: [], notes: [] };
  files.push(file);
  return file;
}

/** The path a `---`/`+++` header names: git-quoted names unquoted, the a/ or b/ prefix and any timestamp after a tab removed. */
function headerPath(raw: string, prefix: string): string | null {
  let name = raw;
  if (name.startsWith('"')) {
    const end = closingQuote(name);
    name = unquote(name.slice(0, end + 1));
  } else {
    const tab = name.indexOf("\t");
    if (tab !== -1) name = name.slice(0, tab);
  }
  if (name === "/dev/null") return null;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function closingQuote(text: string): number {
  for (let index = 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === '"') return index;
  }
  return text.length - 1;
}

/** Git's C-style quoting: \t \n \" \\ and octal bytes (UTF-8). */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { t: 9, n: 10, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 };
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char !== "\\") {
      bytes.push(...new TextEncoder().encode(char));
      continue;
    }
    const next = body[index + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      index++;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The first line the change touched in each file's new version (where "open file at change" goes), 1-based. */
export function firstChangedLines(files: readonly DiffFile[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const file of files) {
    const path = file.newPath ?? file.oldPath;
    if (path === null || result.has(path)) continue;
    for (const hunk of file.hunks) {
      const changed = hunk.lines.find((line) => line.kind === "added" || line.kind === "removed");
      if (!changed) continue;
      // A removed line has no number in the new file: point at the line that took its place.
      const nearby = changed.newLine ?? hunk.lines.slice(hunk.lines.indexOf(changed)).find((line) => line.newLine !== undefined)?.newLine;
      result.set(path, Math.max(1, nearby ?? newStartOf(hunk)));
      break;
    }
  }
  return result;
}

function newStartOf(hunk: DiffHunk): number {
  return Number(hunkHeader.exec(hunk.header)?.[3] ?? 1);
}
