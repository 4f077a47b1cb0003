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

export interface HiddenType {
  /** The bundle file (key) that declares it. */
  module: string;
  name: string;
  /** Type arguments to instantiate both sides with (what both accept), or undefined when no count fits both. */
  typeArguments: number | undefined;
}

/** At most this many are related; a change that reaches more hidden types than this is reported through the first ones. */
export const maxHiddenTypes = 50;

interface Declared {
  module: string;
  name: string;
  text: string;
  required: number;
  total: number;
}

export function changedHiddenTypes(baseline: DeclarationBundle, current: DeclarationBundle, contractNames: ReadonlySet<string>): HiddenType[] {
  const changedFiles = Object.keys(current.files).filter((key) => !key.endsWith(".json") && key in baseline.files && baseline.files[key] !== current.files[key]);
  if (changedFiles.length === 0) return [];
  const declarationFiles = Object.keys(current.files).filter((key) => !key.endsWith(".json"));
  const oldTypes = typeDeclarations(baseline, declarationFiles.filter((key) => key in baseline.files));
  const newTypes = typeDeclarations(current, declarationFiles);
  const changed = new Map<string, { declared: Declared; old: Declared }>();
  for (const [id, declared] of newTypes) {
    const old = oldTypes.get(id);
    if (!changedFiles.includes(declared.module) || !old || old.text === declared.text || contractNames.has(declared.name)) continue;
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

/** Top-level interfaces, type aliases, classes and enums by `module#name` (a merged interface's parts joined). */
function typeDeclarations(bundle: DeclarationBundle, keys: readonly string[]): Map<string, Declared> {
  const found = new Map<string, Declared>();
  for (const key of keys) {
    const text = bundle.files[key];
    if (text === undefined) continue;
    const sourceFile = ts.createSourceFile(key, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const statement of sourceFile.statements) {
      if (!(ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) || !statement.name) continue;
      const name = statement.name.text;
      const id = `${key}#${name}`;
      const parameters = "typeParameters" in statement ? (statement.typeParameters ?? []) : [];
      const previous = found.get(id);
      const text = statement.getText(sourceFile);
      found.set(id, previous ? { ...previous, text: `${previous.text}\n${text}` } : { module: key, name, text, required: parameters.filter((parameter) => !parameter.default).length, total: parameters.length });
    }
  }
  return found;
}

/** Whether a text mentions a name as a whole word. */
export function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/[$]/g, "\\$")}(?![\\w$])`).test(text);
}
