/**
 * The Analyzer is the engine's rules: this is only the lookup a caller holding a diagnostic
 * needs (the language server gets a rule id and a range back from the editor) to find the
 * finding, with its fixes, that the engine computed for the file's current version.
 */
import type { Engine } from "../analysis/engine";
import type { Finding, Range } from "../findings";

export function findingAt(engine: Engine, file: string, ruleId: string, range: Range): Finding | undefined {
  return engine.findingsFor(file).find((finding) => finding.ruleId === ruleId && sameRange(finding.range, range));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
