/**
 * The CodeLens form of "why is this line like this?": above each run of lines a standing change
 * wrote, "⟲ changed by prefer-const fix (entry #12)", which opens the provenance view at it.
 * Ledger strings go into a lens title as plain text (VS Code does not render markup there).
 */
import type { CodeLens } from "vscode-languageserver/node";
import { changeName, showProvenanceCommand, type FileProvenance, type ProvenanceLines } from "./provenanceHover";

export function provenanceLenses(provenance: FileProvenance | undefined): CodeLens[] {
  if (!provenance) return [];
  return provenance.ranges.map((range) => ({
    range: { start: { line: range.startLine, character: 0 }, end: { line: range.startLine, character: 0 } },
    command: {
      title: `⟲ changed by ${changeName(range.author)} (entry #${range.author.seq})`,
      command: showProvenanceCommand,
      arguments: [{ folder: provenance.folder, entryId: range.author.id }],
    },
  }));
}

/** The lenses of `file` (absolute) as its text is now. */
export async function provenanceCodeLenses(lines: ProvenanceLines, file: string, text: string): Promise<CodeLens[]> {
  return provenanceLenses(await lines.of(file, text));
}
