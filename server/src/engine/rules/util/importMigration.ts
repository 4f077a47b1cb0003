import * as ts from "typescript";
import type { FixBuilder } from "../rule";
import { replacementOfName } from "./deprecation";
import { applyEdits, keepsSurroundingSyntax, removalSpan, type Edit } from "./edits";
import { referencesTo } from "./references";
import { fitsUse, resolved, sameDeclarations, shapeOfUse } from "./replacementFit";
import { semanticDiagnosticsWith } from "./speculative";

const anyMeaning = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace;

/**
 * The fix for a file that imports a deprecated name whose replacement it does not import (the
 * consumers of an alias that "Restore compatibility" added): the module the name comes from also
 * exports the replacement, so the file switches over as a whole, the import specifier and every
 * use in one edit of one file. All or nothing: when any use cannot take the new name, there is
 * no fix, since a file importing both names half-migrated is worse than one warning per use.
 *
 * - `import { old }` becomes `import { newName }` and each use `newName`;
 * - `import { old as local }` becomes `import { newName as local }`, the uses unchanged;
 * - with `newName` already imported (the same declaration), the `old` specifier goes.
 *
 * Each use is judged as the one-use fix judges it; then, since a whole file changes at once, the
 * migrated file is type-checked and must bring no diagnostic the file does not have now.
 */
export function importMigration(specifier: ts.ImportSpecifier, program: ts.Program, sourceFile: ts.SourceFile): FixBuilder | undefined {
  const checker = program.getTypeChecker();
  const declaration = specifier.parent.parent.parent;
  const imported = specifier.propertyName ?? specifier.name;
  const local = checker.getSymbolAtLocation(specifier.name);
  if (!ts.isImportDeclaration(declaration) || !ts.isIdentifier(imported) || !local || !(local.flags & ts.SymbolFlags.Alias)) return undefined;
  const deprecated = checker.getAliasedSymbol(local);
  const replacement = replacementOfName(deprecated, checker);
  if (!replacement?.symbol || replacement.name.includes(".") || replacement.name === imported.text) return undefined;
  const newName = replacement.name;

  // The replacement as the same module exports it: the import only changes its name.
  const moduleSymbol = checker.getSymbolAtLocation(declaration.moduleSpecifier);
  const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((candidate) => candidate.name === newName);
  const target = resolved(exported, checker);
  if (!exported || !target || !sameDeclarations(target, replacement.symbol) || isDeprecated(target)) return undefined;
  const typeOnly = isTypeOnlyImport(specifier);
  if (!typeOnly && (reachesTypeOnlyExport(exported, checker) || (deprecated.flags & ts.SymbolFlags.Value && !(target.flags & ts.SymbolFlags.Value)))) return undefined;

  const uses = referencesTo(local, sourceFile, checker);
  if (uses.length === 0 || isMentionedInJsDoc(sourceFile, specifier.name.text)) return undefined;
  const fits = (use: ts.Identifier) => {
    const shape = shapeOfUse(use);
    return shape !== undefined && fitsUse(use, shape, deprecated, target, checker);
  };
  if (!uses.every(fits)) return undefined;

  const edits: Edit[] = [];
  let title: string;
  if (specifier.propertyName) {
    // `old as local`: the file keeps its own name, so nothing else changes (`old as newName` loses the now redundant `as`).
    const end = specifier.name.text === newName ? specifier.name.getEnd() : imported.getEnd();
    edits.push({ start: imported.getStart(sourceFile), end, newText: newName });
    title = `Migrate to \`${newName}\` (import as \`${specifier.name.text}\`)`;
  } else {
    const inFile = checker.resolveName(newName, declaration, anyMeaning, false);
    if (inFile && !isImportOf(inFile, target, checker)) return undefined;
    // Each use must see what the file-level name will be, not a local of the same name nearer to it.
    if (uses.some((use) => checker.resolveName(newName, use, anyMeaning, false) !== inFile)) return undefined;
    if (inFile) {
      const removal = specifierRemoval(specifier, inFile, moduleSymbol!, typeOnly, checker, sourceFile);
      if (!removal) return undefined;
      edits.push(...removal);
    } else {
      edits.push({ start: specifier.name.getStart(sourceFile), end: specifier.name.getEnd(), newText: newName });
    }
    for (const use of uses) edits.push({ start: use.getStart(sourceFile), end: use.getEnd(), newText: newName });
    title = `Migrate to \`${newName}\` (import and ${uses.length} use${uses.length === 1 ? "" : "s"})`;
  }
  if (!keepsSurroundingSyntax(sourceFile, edits) || bringsDiagnostics(program, sourceFile, edits)) return undefined;
  return { title, isPreferred: true, edits };
}

/**
 * Whether the edited file has a diagnostic (code and message) more often than the file has now:
 * what the checks above cannot see, such as a replacement exported by `export type *`. Both
 * sides by a fresh checker that starts with this file, so that the order the engine's own
 * checker went (which some diagnostics depend on) neither hides a difference nor is disturbed.
 */
function bringsDiagnostics(program: ts.Program, sourceFile: ts.SourceFile, edits: readonly Edit[]): boolean {
  const key = (diagnostic: ts.Diagnostic) => `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  let now: readonly ts.Diagnostic[];
  let after: readonly ts.Diagnostic[];
  try {
    now = semanticDiagnosticsWith(program, sourceFile, sourceFile.text);
    after = semanticDiagnosticsWith(program, sourceFile, applyEdits(sourceFile.text, edits));
  } catch {
    return true; // No proof either way: no fix.
  }
  const before = new Map<string, number>();
  for (const diagnostic of now) before.set(key(diagnostic), (before.get(key(diagnostic)) ?? 0) + 1);
  for (const diagnostic of after) {
    const left = before.get(key(diagnostic)) ?? 0;
    if (left === 0) return true;
    before.set(key(diagnostic), left - 1);
  }
  return false;
}

function isDeprecated(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) => ts.getJSDocDeprecatedTag(declaration) !== undefined);
}

function isTypeOnlyImport(specifier: ts.ImportSpecifier): boolean {
  return specifier.isTypeOnly || specifier.parent.parent.isTypeOnly;
}

/** `export type { newName }` somewhere on the way: a value import of it would not compile. */
function reachesTypeOnlyExport(exported: ts.Symbol, checker: ts.TypeChecker): boolean {
  let symbol: ts.Symbol | undefined = exported;
  for (let depth = 0; symbol && symbol.flags & ts.SymbolFlags.Alias && depth < 32; depth++) {
    if ((symbol.declarations ?? []).some((declaration) => ts.isTypeOnlyImportOrExportDeclaration(declaration))) return true;
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return false;
}

/** An identifier in a doc comment (a JSDoc type in JavaScript, a `{@link}`) is not among the references the checker finds, and would be left behind. */
function isMentionedInJsDoc(sourceFile: ts.SourceFile, name: string): boolean {
  const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
  return (sourceFile.text.match(/\/\*\*[\s\S]*?\*\//g) ?? []).some((comment) => pattern.test(comment));
}

/** `newName` at file level is an import of the replacement itself. */
function isImportOf(symbol: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  const declaration = symbol.declarations?.[0];
  return (symbol.flags & ts.SymbolFlags.Alias) !== 0 && declaration !== undefined && (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration)) && sameDeclarations(resolved(symbol, checker)!, target);
}

/**
 * The edits that take `old` out of its import when `newName` is imported already. A whole
 * import declaration goes only when the same module stays imported by another one (it may
 * have side effects on load); a type-only `newName` import cannot take over a value import.
 */
function specifierRemoval(specifier: ts.ImportSpecifier, existing: ts.Symbol, moduleSymbol: ts.Symbol, typeOnly: boolean, checker: ts.TypeChecker, sourceFile: ts.SourceFile): Edit[] | undefined {
  const existingImport = existing.declarations![0] as ts.ImportSpecifier | ts.ImportClause;
  const existingTypeOnly = ts.isImportSpecifier(existingImport) ? isTypeOnlyImport(existingImport) : existingImport.isTypeOnly;
  if (existingTypeOnly && !typeOnly) return undefined;
  const text = sourceFile.text;
  const named = specifier.parent;
  const elements = named.elements;
  if (elements.length > 1) {
    const index = elements.indexOf(specifier);
    const ownComma = tokenAfter(text, specifier.getEnd());
    if (text[ownComma] === ",") return [{ ...removalSpan(text, { start: specifier.getStart(sourceFile), end: ownComma + 1 }), newText: "" }];
    const previousComma = tokenAfter(text, elements[index - 1].getEnd());
    return [
      { start: previousComma, end: previousComma + 1, newText: "" },
      { ...removalSpan(text, { start: specifier.getStart(sourceFile), end: specifier.getEnd() }), newText: "" },
    ];
  }
  const clause = named.parent;
  if (clause.name) return [{ start: clause.name.getEnd(), end: named.getEnd(), newText: "" }];
  const statement = clause.parent as ts.ImportDeclaration;
  const existingStatement = ts.isImportSpecifier(existingImport) ? existingImport.parent.parent.parent : existingImport.parent;
  if (!ts.isImportDeclaration(existingStatement) || existingStatement === statement || checker.getSymbolAtLocation(existingStatement.moduleSpecifier) !== moduleSymbol) return undefined;
  return [{ ...removalSpan(text, { start: statement.getStart(sourceFile), end: statement.getEnd() }), newText: "" }];
}

/** Where the next token starts, past spaces and comments. */
function tokenAfter(text: string, position: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(position);
  scanner.scan();
  return scanner.getTokenStart();
}
