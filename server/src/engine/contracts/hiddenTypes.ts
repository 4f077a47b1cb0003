/**
 * Types the contract uses but does not export (`interface Options` beside `export function
 * connect(options: Options)`): an export reads the same when one of them changes, yet its
 * consumers may break. They are found in the declaration bundles, not through the exports: a
 * type declaration whose text differs between the baseline and the current bundle, and whose name
 * is not exported by the contract (its own changes are reported where it is exported), plus every
 * such declaration that mentions one. Only those are related by the checker, one declaration at a
 * time: relating whole exports instead would compare two copies of a library's entire type graph
 * (zod's runs out of memory), and a copy of a recursive type can look different to the checker's
 * depth limits even when nothing changed.
 */
import * as ts from "typescript";
import type { DeclarationBundle } from "./model";
import { sortedDeclarationText } from "./typeText";

export interface HiddenType {
  /** The bundle file (key) that declares it. */
  module: string;
  name: string;
  /** Type arguments to instantiate both sides with (what both accept), or undefined when no count fits both. */
  typeArguments: number | undefined;
}

/** At most this many are related; a change that reaches more hidden types than this is reported through the first ones. */
export const maxHiddenTypes = 50;

export interface Declared {
  module: string;
  name: string;
  text: string;
  required: number;
  total: number;
}

/** A bundle file's type declarations as last read, by side and file: the language server reads only what an edit changed. */
export type DeclaredTypesCache = Map<string, { text: string; declared: Declared[] }>;

export function changedHiddenTypes(baseline: DeclarationBundle, current: DeclarationBundle, contractNames: ReadonlySet<string>, cache?: DeclaredTypesCache): HiddenType[] {
  const changedFiles = Object.keys(current.files).filter((key) => !key.endsWith(".json") && key in baseline.files && baseline.files[key] !== current.files[key]);
  if (changedFiles.length === 0) return [];
  const declarationFiles = Object.keys(current.files).filter((key) => !key.endsWith(".json"));
  const oldTypes = typeDeclarations(baseline, declarationFiles.filter((key) => key in baseline.files), "baseline", cache);
  const newTypes = typeDeclarations(current, declarationFiles, "current", cache);
  const changed = new Map<string, { declared: Declared; old: Declared }>();
  for (const [id, declared] of newTypes) {
    const old = oldTypes.get(id);
    if (!changedFiles.includes(declared.module) || !old || sameDeclaration(old.text, declared.text) || contractNames.has(declared.name)) continue;
    changed.set(id, { declared, old });
  }
  // A hidden type that mentions a changed one changed too, in what it means if not in its text.
  for (let grew = changed.size > 0; grew; ) {
    grew = false;
    const names = [...new Set([...changed.values()].map(({ declared }) => declared.name))];
    for (const [id, declared] of newTypes) {
      const old = oldTypes.get(id);
      if (changed.has(id) || !old || contractNames.has(declared.name) || !names.some((name) => mentions(declared.text, name))) continue;
      changed.set(id, { declared, old });
      grew = true;
    }
  }
  return [...changed.values()].slice(0, maxHiddenTypes).map(({ declared, old }) => {
    const required = Math.max(declared.required, old.required);
    return { module: declared.module, name: declared.name, typeArguments: required <= Math.min(declared.total, old.total) ? required : undefined };
  });
}

/**
 * The same declaration, read as descriptions are (unions and written-out object types sorted):
 * declarations emitted by checkers that created their types in another order (the language
 * server emits only the files an edit reached) are not a change.
 */
function sameDeclaration(oldText: string, newText: string): boolean {
  if (oldText === newText) return true;
  const sorted = (text: string) => {
    const sourceFile = ts.createSourceFile("declaration.d.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    return sourceFile.statements.map((statement) => sortedDeclarationText(statement, sourceFile)).join("\n");
  };
  return sorted(oldText) === sorted(newText);
}

/** Reads the type declarations of both bundles into `cache` ahead of the first change, so that the first edit does not pay for it. */
export function readTypeDeclarations(baseline: DeclarationBundle, current: DeclarationBundle, cache: DeclaredTypesCache): void {
  const declarationFiles = Object.keys(current.files).filter((key) => !key.endsWith(".json"));
  typeDeclarations(baseline, declarationFiles.filter((key) => key in baseline.files), "baseline", cache);
  typeDeclarations(current, declarationFiles, "current", cache);
}

/** Top-level interfaces, type aliases, classes and enums by `module#name` (a merged interface's parts joined). */
function typeDeclarations(bundle: DeclarationBundle, keys: readonly string[], side: string, cache: DeclaredTypesCache | undefined): Map<string, Declared> {
  const found = new Map<string, Declared>();
  for (const key of keys) {
    const text = bundle.files[key];
    if (text === undefined) continue;
    const cached = cache?.get(`${side}:${key}`);
    const declared = cached?.text === text ? cached.declared : declaredTypes(key, text);
    if (cached?.text !== text) cache?.set(`${side}:${key}`, { text, declared });
    for (const declaration of declared) found.set(`${key}#${declaration.name}`, declaration);
  }
  return found;
}

function declaredTypes(key: string, text: string): Declared[] {
  const found = new Map<string, Declared>();
  const sourceFile = ts.createSourceFile(key, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const statement of sourceFile.statements) {
    if (!(ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) || !statement.name) continue;
    const name = statement.name.text;
    const parameters = "typeParameters" in statement ? (statement.typeParameters ?? []) : [];
    const previous = found.get(name);
    const declarationText = statement.getText(sourceFile);
    found.set(name, previous ? { ...previous, text: `${previous.text}\n${declarationText}` } : { module: key, name, text: declarationText, required: parameters.filter((parameter) => !parameter.default).length, total: parameters.length });
  }
  return [...found.values()];
}

/** Whether a text mentions a name as a whole word. */
export function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/[$]/g, "\\$")}(?![\\w$])`).test(text);
}
