/**
 * How a type changed, as TypeScript's assignability sees it, and what that means for consumers
 * given where the type sits (the variance of its position).
 */
import * as ts from "typescript";
import type { Classification, Proof } from "./model";

/**
 * `narrowed`: every new value was an old value (new ⊂ old); `widened`: the reverse; `changed`:
 * neither; `to-any`/`from-any`: one side is `any`, which assignability cannot order (it is
 * assignable both ways), so a rule decides.
 */
export type Relation = "equivalent" | "narrowed" | "widened" | "changed" | "to-any" | "from-any";

/**
 * `out`: consumers read it (a return type, a variable, a readonly property); `in`: consumers
 * provide it (a parameter); `inout`: both (a mutable property, an interface member consumers
 * may implement, a type alias that may be used either way).
 */
export type Variance = "in" | "out" | "inout";

export interface RelateOptions {
  /** Compare as if neither side included `undefined` (an optional parameter's or property's type carries it). */
  ignoreUndefined?: boolean;
}

export function relate(checker: ts.TypeChecker, oldType: ts.Type, newType: ts.Type, options: RelateOptions = {}): Relation {
  const oldAny = (oldType.flags & ts.TypeFlags.Any) !== 0;
  const newAny = (newType.flags & ts.TypeFlags.Any) !== 0;
  if (oldAny && newAny) return "equivalent";
  if (newAny) return "to-any";
  if (oldAny) return "from-any";
  const oldFitsNew = assignable(checker, oldType, newType, options);
  const newFitsOld = assignable(checker, newType, oldType, options);
  return oldFitsNew && newFitsOld ? "equivalent" : newFitsOld ? "narrowed" : oldFitsNew ? "widened" : "changed";
}

function assignable(checker: ts.TypeChecker, source: ts.Type, target: ts.Type, options: RelateOptions): boolean {
  if (!options.ignoreUndefined) return checker.isTypeAssignableTo(source, target);
  const members = source.isUnion() ? source.types : [source];
  return members.every((member) => member.flags & ts.TypeFlags.Undefined || checker.isTypeAssignableTo(member, target));
}

export interface Verdict {
  classification: Classification;
  proof: Proof;
}

/**
 * The classification of a type change at a position: breaking when some consumer code that
 * compiled against the baseline no longer compiles. Reading a widened value breaks, providing a
 * value to a narrowed slot breaks, and an `inout` position breaks on any real change.
 */
export function verdictOf(relation: Relation, variance: Variance, proof: Proof = "proven"): Verdict {
  switch (relation) {
    case "equivalent":
      return { classification: "internal", proof };
    case "to-any":
      return { classification: "additive", proof: "heuristic" };
    case "from-any":
      return { classification: "breaking", proof: "heuristic" };
    case "changed":
      return { classification: "breaking", proof };
    case "narrowed":
      return { classification: variance === "out" ? "additive" : "breaking", proof };
    case "widened":
      return { classification: variance === "in" ? "additive" : "breaking", proof };
  }
}
