/** What the parts of the classifier share: how a change is reported and how two types are related. */
import * as ts from "typescript";
import type { ChangeKind } from "./changeKinds";
import type { Proof } from "./model";
import { relate, type RelateOptions, type Relation, type Verdict } from "./relation";

/** Where a change is shown: a location key of the current source, or a JSON pointer into the baseline file (for what is gone). */
export type Place = { key: string } | { pointer: string };

export interface ReportInput {
  kind: ChangeKind;
  symbol: string;
  verdict: Verdict;
  at: Place;
  message: string;
}

export interface RelationResult {
  relation: Relation;
  proof: Proof;
}

export interface DiffContext {
  report(input: ReportInput): void;
  /** Undefined without a checker context: every relation is then judged from the texts (heuristic). */
  readonly checker: ts.TypeChecker | undefined;
  relateTypes(oldType: ts.Type | undefined, newType: ts.Type | undefined, oldText: string, newText: string, options?: RelateOptions): RelationResult;
}

export function relateWith(checker: ts.TypeChecker | undefined, oldType: ts.Type | undefined, newType: ts.Type | undefined, oldText: string, newText: string, options?: RelateOptions): RelationResult {
  if (checker && oldType && newType) return { relation: relate(checker, oldType, newType, options), proof: "proven" };
  return { relation: textualRelation(oldText, newText), proof: "heuristic" };
}

/** Without the checker: the types as sets of their top-level union members (`a | b` ⊂ `a | b | c`), else "changed". */
export function textualRelation(oldText: string, newText: string): Relation {
  if (oldText === newText) return "equivalent";
  if (newText === "any") return "to-any";
  if (oldText === "any") return "from-any";
  const oldMembers = new Set(unionMembers(oldText));
  const newMembers = new Set(unionMembers(newText));
  const oldInNew = [...oldMembers].every((member) => newMembers.has(member));
  const newInOld = [...newMembers].every((member) => oldMembers.has(member));
  if (oldInNew && newInOld) return "equivalent";
  if (newInOld) return "narrowed";
  if (oldInNew) return "widened";
  return "changed";
}

/** Splits `A | (B | C)[] | D` at the top level only; a function type's return (`() => A | B`) is one member. */
export function unionMembers(text: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") quote = char;
    else if ("([{<".includes(char)) depth++;
    else if (")]}>".includes(char) && !(char === ">" && text[index - 1] === "=")) depth--;
    else if (depth === 0 && char === "=" && text[index + 1] === ">") return [...members, text.slice(start).trim()];
    else if (depth === 0 && char === "|") {
      members.push(text.slice(start, index).trim());
      start = index + 1;
    }
  }
  members.push(text.slice(start).trim());
  return members.filter((member) => member.length > 0);
}

export type TypedElement = "parameter" | "return" | "property" | "variable" | "type-alias";

/** The change kind of a type that changed at an element: `parameter-type-narrowed`, `type-rewritten`, … */
export function typeChangeKind(element: TypedElement, relation: Relation): ChangeKind {
  switch (relation) {
    case "equivalent":
      return "type-rewritten";
    case "to-any":
      return "type-made-any";
    case "from-any":
      return "type-no-longer-any";
    default:
      return (element === "type-alias" ? `type-alias-${relation}` : `${element}-type-${relation}`) as ChangeKind;
  }
}

/** A type's relation in words, for messages. */
export function relationWords(relation: Relation): string {
  switch (relation) {
    case "equivalent":
      return "is written differently but is the same type";
    case "narrowed":
      return "allows fewer values";
    case "widened":
      return "allows more values";
    case "changed":
      return "changed to a type that is neither wider nor narrower";
    case "to-any":
      return "became `any`";
    case "from-any":
      return "is no longer `any`";
  }
}

/** `a`, `b` and `c`; long texts are cut so a message stays one readable line. */
export function quoteType(text: string): string {
  return `'${text.length > 120 ? `${text.slice(0, 117)}...` : text}'`;
}
