/**
 * "Restore compatibility" for an interface or type alias that is gone without a successor: the
 * baseline kept its declaration text (the declaration bundle), so it can be written back into
 * the entry module, deprecated. A value cannot be restored this way: the baseline has its type,
 * not its implementation.
 */
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";
import type { ContractChange, DeclarationBundle } from "./model";
import { hasParseErrors, namesResolveAt } from "./namesInScope";
import { describedAt, type RestoreContext, type RestoreFix } from "./restoreContext";
import { deprecatedDoc, inFileStyle, indentationUnitOf, insertAt, lineEndingOf } from "./sourceInsertion";

export function restoredDeclarationFix(change: ContractChange, context: RestoreContext): RestoreFix | undefined {
  const name = change.symbol;
  if (name.includes(".") || name === "default" || name === "export=") return undefined;
  const described = describedAt(context.input.baseline.api, name);
  if (!described || !(described.interface || described.typeAlias) || described.class || described.enum || described.function || described.variable || described.namespace) return undefined;
  const declarations = baselineDeclarations(context.input.baseline.declarations, name);
  if (!declarations) return undefined;
  const entry = context.editableSource(context.entryFile);
  if (!entry) return undefined;
  const { checker } = context;
  // A name the entry already has, with any meaning (a local helper, an import), would clash or merge.
  if (checker.resolveName(name, entry, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace, true)) return undefined;
  const scope = entry.statements.at(-1) ?? entry;
  if (!declarations.nodes.every((node) => namesResolveAt(node, scope, checker, new Set([name])))) return undefined;

  const text = entry.text;
  const eol = lineEndingOf(text);
  const unit = indentationUnitOf(text);
  const doc = deprecatedDoc(`Removed from ${context.contract} after ${context.baselineVersion}; kept so existing code compiles.`);
  const blocks = declarations.nodes.map((node) => `${doc}${eol}export ${inFileStyle(withoutModifiers(node, declarations.file), eol, unit)}`);
  const endsWithLineBreak = text.length === 0 || text.endsWith("\n");
  const newText = `${endsWithLineBreak ? "" : eol}${blocks.join(eol)}${eol}`;
  const kind = described.interface ? "interface" : "type";
  return {
    change,
    title: `Restore compatibility: restore the ${kind} \`${name}\` as deprecated`,
    rationale: [
      `Code written for ${context.contract} ${context.baselineVersion} names the ${kind} \`${name}\`; its declaration is restored from the baseline, as it was then, at the end of the entry module and marked deprecated, so that code compiles again and is shown where it still uses it.`,
      `Nothing in the current API accepts or returns it any more, so it keeps only code that names it compiling. The names it refers to are resolved in the entry as it is now: if one of them changed, the restored ${kind} changed with it (the contract diff reports that).`,
    ].join(" "),
    changes: [{ file: normalizePath(entry.fileName), edits: [insertAt(entry, text.length, newText)] }],
  };
}

interface FoundDeclarations {
  file: ts.SourceFile;
  /** An interface may be declared in several parts; they are restored together. */
  nodes: Array<ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
}

/**
 * The declaration of `name` in the baseline's declaration files: the entry's own, else the only
 * exported one of that name in the other files (two files declaring it is a guess not made).
 */
function baselineDeclarations(bundle: DeclarationBundle, name: string): FoundDeclarations | undefined {
  const inFile = (key: string, exportedOnly: boolean): FoundDeclarations | undefined => {
    const file = ts.createSourceFile(key, bundle.files[key], ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    if (hasParseErrors(file)) return undefined;
    const nodes = file.statements.filter((statement): statement is ts.InterfaceDeclaration | ts.TypeAliasDeclaration => (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name.text === name);
    if (nodes.length === 0 || (exportedOnly && !nodes.some(isExported))) return undefined;
    // An interface merged with a type alias of one name cannot exist; a type alias is one declaration.
    if (nodes.some(ts.isTypeAliasDeclaration) && nodes.length > 1) return undefined;
    return { file, nodes };
  };
  const own = bundle.files[bundle.entry] !== undefined ? inFile(bundle.entry, false) : undefined;
  if (own) return own;
  const found = Object.keys(bundle.files)
    .filter((key) => key !== bundle.entry && !key.endsWith(".json"))
    .sort()
    .map((key) => inFile(key, true))
    .filter((candidate) => candidate !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

function isExported(statement: ts.InterfaceDeclaration | ts.TypeAliasDeclaration): boolean {
  return statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) === true;
}

/** The declaration's text from `interface`/`type` on: its JSDoc and `export`/`declare` are replaced by the restored form's. */
function withoutModifiers(node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration, file: ts.SourceFile): string {
  const keyword = ts.isInterfaceDeclaration(node) ? ts.SyntaxKind.InterfaceKeyword : ts.SyntaxKind.TypeKeyword;
  const start = node.getChildren(file).find((child) => child.kind === keyword)?.getStart(file) ?? node.getStart(file);
  return file.text.slice(start, node.getEnd());
}
