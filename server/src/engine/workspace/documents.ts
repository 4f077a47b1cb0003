import * as fs from "node:fs";
import * as ts from "typescript";

interface OpenDocument {
  text: string;
  version: number;
}

interface DiskEntry {
  text: string | undefined;
  generation: number;
}

/**
 * The one place file contents come from. Open editor buffers win over disk; disk reads are
 * cached until a watched-file event says the file changed. Every project's language service
 * host reads through here, so a buffer edit is seen by all projects that contain the file.
 */
export class DocumentStore {
  private readonly open = new Map<string, OpenDocument>();
  private readonly disk = new Map<string, DiskEntry>();
  private generation = 0;

  setOpen(file: string, text: string, version: number): void {
    this.open.set(file, { text, version });
  }

  close(file: string): void {
    this.open.delete(file);
    this.disk.delete(file);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  openVersion(file: string): number | undefined {
    return this.open.get(file)?.version;
  }

  /** A watched-file event: forget what we read, so the next read sees the new bytes. */
  invalidate(file: string): void {
    this.disk.delete(file);
    this.generation++;
  }

  /** Changes whenever the content the engine would see for `file` may have changed. */
  version(file: string): string {
    const document = this.open.get(file);
    if (document) return `open:${document.version}`;
    return `disk:${this.diskEntry(file).generation}`;
  }

  read(file: string): string | undefined {
    return this.open.get(file)?.text ?? this.diskEntry(file).text;
  }

  exists(file: string): boolean {
    return this.open.has(file) || this.read(file) !== undefined;
  }

  private diskEntry(file: string): DiskEntry {
    let entry = this.disk.get(file);
    if (!entry) {
      entry = { text: readFileText(file), generation: ++this.generation };
      this.disk.set(file, entry);
    }
    return entry;
  }
}

/**
 * Reads a file the way TypeScript's own `sys.readFile` does (UTF-8, or UTF-16 with a BOM),
 * but never throws: a file deleted mid-analysis, a directory or an unreadable file is simply
 * absent. Invalid UTF-8 bytes become U+FFFD instead of aborting the analysis.
 */
export function readFileText(file: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString("utf16le");
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString("utf8");
  return bytes.toString("utf8");
}

export function fileSize(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

export function snapshotOf(text: string): ts.IScriptSnapshot {
  return ts.ScriptSnapshot.fromString(text);
}
