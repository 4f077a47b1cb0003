/**
 * "Restore compatibility" for an export that is gone but lives on under another name: it was
 * renamed (an export added in the same diff is described exactly like it, modulo the name), or
 * it was another name for an export that is still there. The old name comes back as a
 * deprecated alias of the new one, written so that the `deprecated-usage` rule sees the tag and
 * offers "Use `newName` instead": an `export { newName as oldName }` specifier cannot carry its
 * own `@deprecated` (the rule follows it to `newName`, which is not deprecated), so the alias is
 * a declaration of its own.
 */
import * as ts from "typescript";
import { canonicalJson } from "../ledger/canonicalJson";
import { normalizePath } from "../workspace/paths";
import type { FileEdit, TextEdit } from "../findings";
import type { ApiExport, ContractChange } from "./model";
import { namesResolveAt } from "./namesInScope";
import { describedAt, isEditable, type RestoreContext, type RestoreFix } from "./restoreContext";
import { deprecatedDoc, indentationAt, insertAt, lineEndingOf, offsetAfter } from "./sourceInsertion";

/** How an old name relates to a current one. */
export interface Successor {
  name: string;
  how: "renamed" | "aliased";
}

/**
 * Each top-level export removed in the report that has a successor: the export it was another
 * name of (still exported), or the one added export described like it. A match that is not
 * one to one is no match: an alias to the wrong export would compile and mislead.
 */
export function successorsOf(changes: readonly ContractChange[], context: RestoreContext): Map<string, Successor> {
  const removed = changes.filter((change) => change.kind === "export-removed" && isTopLevel(change.symbol)).map((change) => change.symbol);
  const added = changes.filter((change) => change.kind === "export-added" && isTopLevel(change.symbol)).map((change) => change.symbol);
  const result = new Map<string, Successor>();
  if (removed.length === 0) return result;
  const baselineApi = context.input.baseline.api;
  const candidates = new Map<string, string[]>();
  for (const oldName of removed) {
    const aliasOf = baselineApi.exports[oldName]?.aliasOf;
    if (aliasOf !== undefined && isTopLevel(aliasOf) && Object.hasOwn(context.currentApi.exports, aliasOf)) {
      result.set(oldName, { name: aliasOf, how: "aliased" });
      continue;
    }
    if (added.length === 0) continue;
    const before = describedAt(baselineApi, oldName);
    if (!before) continue;
    const key = shapeKey(before, oldName);
    candidates.set(oldName, added.filter((newName) => {
      const after = describedAt(context.currentApi, newName);
      return after !== undefined && shapeKey(after, newName) === key;
    }));
  }
  const claims = new Map<string, number>();
  for (const names of candidates.values()) for (const name of names) claims.set(name, (claims.get(name) ?? 0) + 1);
  for (const [oldName, names] of candidates) {
    if (names.length === 1 && claims.get(names[0]) === 1) result.set(oldName, { name: names[0], how: "renamed" });
  }
  return result;
}

function isTopLevel(path: string): boolean {
  return !path.includes(".") && path !== "default" && path !== "export=";
}

/** The description with its own name (and its deprecation, which a rename may add or drop) taken out. */
function shapeKey(described: ApiExport, name: string): string {
  const { deprecated: _deprecated, aliasOf: _aliasOf, ...rest } = described;
  const pattern = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
  return canonicalJson(rest).replace(pattern, "\u0000");
}

// Enums are refused before these are read (see aliasFix).
const valueFacets = ["class", "function", "variable"] as const;
const typeFacets = ["class", "interface", "typeAlias"] as const;

export function aliasFix(change: ContractChange, successor: Successor, context: RestoreContext): RestoreFix | undefined {
  const oldName = change.symbol;
  const newName = successor.name;
  const described = describedAt(context.currentApi, newName);
  if (!described || described.namespace) return undefined;
  // A `const` alias of a `let` would copy its value once and miss later assignments.
  if (described.variable && described.variable.declaration !== "const") return undefined;
  // The checker relates enums by name: an alias of the renamed enum would still read as a changed
  // type to the contract diff (and a const enum has no value to alias).
  if (described.enum) return undefined;
  const isValue = valueFacets.some((facet) => described[facet]);
  const isType = typeFacets.some((facet) => described[facet]);
  if (!isValue && !isType) return undefined;
  const site = aliasSite(context, newName, isValue);
  if (!site) return undefined;
  const { checker } = context;
  const scope = site.file;
  // The alias is declared where `newName` is in scope; `oldName` must be free there.
  if (checker.resolveName(oldName, scope, ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace, true)) return undefined;
  const meaning = isValue ? ts.SymbolFlags.Value : ts.SymbolFlags.Type;
  const inScope = checker.resolveName(newName, scope, meaning, false);
  if (!inScope || !sameDeclarations(resolveAlias(inScope, checker), site.target)) return undefined;
  const typeParameters = isType ? typeParametersText(site.target, scope, checker) : [];
  if (!typeParameters) return undefined;

  const text = scope.text;
  const eol = lineEndingOf(text);
  const offset = offsetAfter(scope, site.after);
  const indent = indentationAt(text, site.after.getStart(scope));
  const reason = successor.how === "renamed" ? `Renamed in ${context.contract} after ${context.baselineVersion}.` : `Removed from ${context.contract} after ${context.baselineVersion}.`;
  const doc = deprecatedDoc(`Use {@link ${newName}} instead. ${reason}`);
  const lines: string[] = [];
  if (isValue) lines.push(doc, `export const ${oldName} = ${newName};`);
  if (isType) {
    const names = typeParameters.length > 0 ? `<${typeParameters.map((parameter) => parameter.name).join(", ")}>` : "";
    const declared = typeParameters.length > 0 ? `<${typeParameters.map((parameter) => parameter.text).join(", ")}>` : "";
    lines.push(doc, `export type ${oldName}${declared} = ${newName}${names};`);
  }
  const edits = new Map<string, TextEdit[]>();
  const add = (sourceFile: ts.SourceFile, edit: TextEdit) => {
    const file = normalizePath(sourceFile.fileName);
    edits.set(file, [...(edits.get(file) ?? []), edit]);
  };
  add(scope, insertAt(scope, offset, lines.map((line) => `${eol}${indent}${line}`).join("")));
  for (const hop of site.hops) add(hop.getSourceFile(), insertAt(hop.getSourceFile(), hop.getEnd(), `, ${hop.isTypeOnly ? "type " : ""}${oldName}`));
  const changes: FileEdit[] = [...edits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, fileEdits]) => ({ file, edits: fileEdits }));
  const what = isValue && isType ? "a deprecated alias (value and type)" : isValue ? "a deprecated alias" : "a deprecated type alias";
  return {
    change,
    title: `Restore compatibility: export \`${oldName}\` as a deprecated alias of \`${newName}\``,
    rationale: [
      `Code written for ${context.contract} ${context.baselineVersion} imports \`${oldName}\`; it ${successor.how === "renamed" ? `was renamed to \`${newName}\`` : `was another name for \`${newName}\``}. ${capitalized(what)} declared beside \`${newName}\` makes those imports compile again, and refers to the very same ${isValue ? "value" : "type"}, not a copy.`,
      `Its @deprecated tag names \`${newName}\`, so each use of \`${oldName}\` gets a deprecated-usage finding whose fix switches it to \`${newName}\` (where \`${newName}\` is imported and fits the use).`,
      `It restores the name only: anything else that changed about \`${newName}\` is reported on its own. Remove the alias at the next major version.`,
    ].join(" "),
    changes,
  };
}

interface AliasSite {
  /** The file the alias is declared in, where `newName` is in scope. */
  file: ts.SourceFile;
  /** The statement the alias goes after. */
  after: ts.Statement;
  /** What `newName` means there. */
  target: ts.Symbol;
  /** Named re-exports between the entry and that file (`export { newName } from "./x"`): each must list the alias too. */
  hops: ts.ExportSpecifier[];
}

/**
 * Follows the entry's export of `newName` to a file that has it in scope: its declaration, or a
 * file that imports it and exports it by name. `export *` passes the alias on by itself; a named
 * re-export needs the alias added to its list; a re-export under another name, a default export
 * or a declaration we cannot edit gives no site.
 */
function aliasSite(context: RestoreContext, newName: string, isValue: boolean): AliasSite | undefined {
  const { checker, program } = context;
  const entry = program.getSourceFile(context.entryFile);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) return undefined;
  let symbol = checker.getExportsOfModule(moduleSymbol).find((candidate) => candidate.name === newName);
  const hops: ts.ExportSpecifier[] = [];
  for (let depth = 0; symbol && depth < 32; depth++) {
    if (!(symbol.flags & ts.SymbolFlags.Alias)) return declarationSite(context, symbol, hops);
    const specifier = symbol.declarations?.[0];
    if (!specifier || !ts.isExportSpecifier(specifier) || specifier.name.text !== newName || (specifier.propertyName && specifier.propertyName.text !== newName)) return undefined;
    const exportDeclaration = specifier.parent.parent;
    const sourceFile = specifier.getSourceFile();
    if (!isEditable(program, sourceFile) || !ts.isSourceFile(exportDeclaration.parent)) return undefined;
    // A type-only re-export would turn a value alias into a type.
    if (isValue && (specifier.isTypeOnly || exportDeclaration.isTypeOnly)) return undefined;
    if (!exportDeclaration.moduleSpecifier) return { file: sourceFile, after: exportDeclaration, target: resolveAlias(symbol, checker), hops };
    hops.push(specifier);
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return undefined;
}

function declarationSite(context: RestoreContext, symbol: ts.Symbol, hops: ts.ExportSpecifier[]): AliasSite | undefined {
  const statements = (symbol.declarations ?? []).map(statementOf);
  const first = statements[0];
  if (!first || statements.some((statement) => !statement || !ts.isSourceFile(statement.parent) || statement.getSourceFile() !== first.getSourceFile())) return undefined;
  const sourceFile = first.getSourceFile();
  if (!isEditable(context.program, sourceFile)) return undefined;
  // `export default class X` is exported as `default`, and an alias after it would not be reached by the name.
  if (statements.some((statement) => ts.canHaveModifiers(statement!) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword))) return undefined;
  const last = statements.reduce((latest, statement) => (statement!.getEnd() > latest!.getEnd() ? statement : latest))!;
  return { file: sourceFile, after: last, target: symbol, hops };
}

function statementOf(declaration: ts.Declaration): ts.Statement | undefined {
  if (ts.isVariableDeclaration(declaration)) return ts.isVariableDeclarationList(declaration.parent) && ts.isVariableStatement(declaration.parent.parent) && declaration.parent.declarations.length === 1 ? declaration.parent.parent : undefined;
  return ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration) || ts.isEnumDeclaration(declaration) ? declaration : undefined;
}

interface TypeParameterText {
  name: string;
  /** As the alias declares it: the constraint and default, without `in`/`out`/`const`, which a type alias may not carry. */
  text: string;
}

/** The type parameters of the target's type declaration; undefined when a constraint or default does not resolve where the alias goes. */
function typeParametersText(target: ts.Symbol, scope: ts.SourceFile, checker: ts.TypeChecker): TypeParameterText[] | undefined {
  const declaration = target.declarations?.find((candidate): candidate is ts.ClassDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration => ts.isClassDeclaration(candidate) || ts.isInterfaceDeclaration(candidate) || ts.isTypeAliasDeclaration(candidate));
  const parameters = declaration?.typeParameters;
  if (!parameters || parameters.length === 0) return [];
  const ownNames = new Set(parameters.map((parameter) => parameter.name.text));
  const result: TypeParameterText[] = [];
  for (const parameter of parameters) {
    for (const part of [parameter.constraint, parameter.default]) if (part && !namesResolveAt(part, scope, checker, ownNames)) return undefined;
    const constraint = parameter.constraint ? ` extends ${parameter.constraint.getText()}` : "";
    const fallback = parameter.default ? ` = ${parameter.default.getText()}` : "";
    result.push({ name: parameter.name.text, text: `${parameter.name.text}${constraint}${fallback}` });
  }
  return result;
}

function resolveAlias(symbol: ts.Symbol, checker: ts.TypeChecker): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The local symbol of an exported declaration and its export symbol are two objects; their declarations are one. */
function sameDeclarations(a: ts.Symbol, b: ts.Symbol): boolean {
  return a === b || (a.declarations ?? []).some((declaration) => b.declarations?.includes(declaration));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
