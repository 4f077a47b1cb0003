/**
 * Differences between two sets of signatures (a function's overloads, a method's, a class's
 * constructors, an interface's call signatures) and between two lists of type parameters.
 *
 * Calls are what consumers write, so the rules follow what a call that compiled against the
 * baseline needs: as many arguments accepted (arity), each old argument type accepted by the new
 * parameter, the new result usable as the old one. In `implement` mode (an interface's members,
 * which consumers also implement) a type change in either direction breaks someone.
 */
import * as ts from "typescript";
import { docTagsOf } from "./docTags";
import { quoteType, relationWords, typeChangeKind, type DiffContext } from "./diffContext";
import { parameterKey, signatureKey, typeParameterKey, type SignatureKind } from "./locationKeys";
import type { ApiDocTags, ApiParameter, ApiSignature, ApiTypeParameter, ReleaseTag } from "./model";
import { verdictOf, type Relation, type Variance } from "./relation";

export interface SignatureSet {
  old: readonly ApiSignature[];
  new: readonly ApiSignature[];
  /** The checker's signatures in the same order (without `@internal` ones), when the checker could resolve both sides. */
  oldTypes?: readonly ts.Signature[];
  newTypes?: readonly ts.Signature[];
  symbol: string;
  /** The location key the signatures hang off (the function's or member's path). */
  keyPath: string;
  kind: SignatureKind;
  mode: "call" | "implement";
  /** How messages name it: `parse`, `the constructor of Parser`, `Parser.parse`. */
  label: string;
  /** Type parameters of a function are usually inferred: adding or removing one breaks only explicit type arguments (heuristic). */
  typeParametersInferred: boolean;
  /** Constructors' return types are the class itself, compared as the class. */
  compareReturns: boolean;
  /** The whole old and new types (all overloads), for generic signatures whose parts cannot be related one by one. */
  whole?: { old: ts.Type; new: ts.Type };
}

export function diffSignatureSet(context: DiffContext, set: SignatureSet): void {
  const pairs = pairSignatures(set.old, set.new);
  const pairedOld = new Set(pairs.map(([oldIndex]) => oldIndex));
  const pairedNew = new Set(pairs.map(([, newIndex]) => newIndex));
  for (const [oldIndex, newIndex] of pairs) new SignaturePair(context, set, oldIndex, newIndex).diff();
  set.old.forEach((signature, oldIndex) => {
    if (pairedOld.has(oldIndex)) return;
    const cover = set.new.findIndex((candidate, newIndex) => covers(context, set, oldIndex, newIndex, candidate));
    const covered = cover >= 0;
    context.report({
      kind: "overload-removed",
      symbol: set.symbol,
      verdict: covered ? { classification: "internal", proof: context.checker ? "proven" : "heuristic" } : { classification: "breaking", proof: context.checker ? "proven" : "heuristic" },
      at: { key: set.keyPath },
      message: covered
        ? `${set.label}: the overload ${signatureText(signature)} was removed, but the overload ${signatureText(set.new[cover])} accepts every call it did`
        : `${set.label}: the overload ${signatureText(signature)} was removed and no remaining overload accepts its calls: they fail to compile`,
    });
  });
  set.new.forEach((signature, newIndex) => {
    if (pairedNew.has(newIndex)) return;
    context.report({
      kind: "overload-added",
      symbol: set.symbol,
      verdict: { classification: "additive", proof: "proven" },
      at: { key: signatureKey(set.keyPath, set.kind, newIndex) },
      message: `${set.label}: new overload ${signatureText(signature)}`,
    });
  });
}

/** Same count: by position. Otherwise identical ones first, then by parameter count in order; the rest stay unpaired (removed or added). */
function pairSignatures(oldSignatures: readonly ApiSignature[], newSignatures: readonly ApiSignature[]): Array<[number, number]> {
  if (oldSignatures.length === newSignatures.length) return oldSignatures.map((_, index) => [index, index]);
  const pairs: Array<[number, number]> = [];
  const usedNew = new Set<number>();
  const unpairedOld: number[] = [];
  oldSignatures.forEach((signature, oldIndex) => {
    const text = signatureText(signature);
    const match = newSignatures.findIndex((candidate, newIndex) => !usedNew.has(newIndex) && signatureText(candidate) === text);
    if (match >= 0) {
      usedNew.add(match);
      pairs.push([oldIndex, match]);
    } else unpairedOld.push(oldIndex);
  });
  for (const oldIndex of unpairedOld) {
    const count = oldSignatures[oldIndex].parameters.length;
    const match = newSignatures.findIndex((candidate, newIndex) => !usedNew.has(newIndex) && candidate.parameters.length === count);
    if (match >= 0) {
      usedNew.add(match);
      pairs.push([oldIndex, match]);
    }
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** `(text: string, options?: Options): Ast`, as a signature reads in the docs. */
export function signatureText(signature: ApiSignature): string {
  const typeParameters = signature.typeParameters?.length ? `<${signature.typeParameters.map(typeParameterText).join(", ")}>` : "";
  const parameters = signature.parameters.map((parameter) => `${parameter.rest ? "..." : ""}${parameter.name}${parameter.optional && !parameter.rest ? "?" : ""}: ${parameter.type}`);
  if (signature.this !== undefined) parameters.unshift(`this: ${signature.this}`);
  return `${typeParameters}(${parameters.join(", ")}): ${signature.returns}`;
}

function typeParameterText(parameter: ApiTypeParameter): string {
  return `${parameter.const ? "const " : ""}${parameter.name}${parameter.constraint ? ` extends ${parameter.constraint}` : ""}${parameter.default ? ` = ${parameter.default}` : ""}`;
}

function arity(signature: ApiSignature): { min: number; max: number } {
  const rest = signature.parameters.some((parameter) => parameter.rest);
  const min = signature.parameters.filter((parameter) => !parameter.optional && !parameter.rest).length;
  return { min, max: rest ? Infinity : signature.parameters.length };
}

/** Whether every call the old signature accepted is accepted by `candidate` (arity, each parameter, the result). */
function covers(context: DiffContext, set: SignatureSet, oldIndex: number, newIndex: number, candidate: ApiSignature): boolean {
  const old = set.old[oldIndex];
  const before = arity(old);
  const after = arity(candidate);
  if (after.min > before.min || after.max < before.max) return false;
  const oldType = set.oldTypes?.[oldIndex];
  const newType = set.newTypes?.[newIndex];
  const generic = Boolean(old.typeParameters?.length || candidate.typeParameters?.length);
  for (let index = 0; index < old.parameters.length; index++) {
    const oldParameter = old.parameters[index];
    const newParameter = candidate.parameters[Math.min(index, candidate.parameters.length - 1)];
    if (!newParameter) return false;
    if (generic || !oldType || !newType || !context.checker) {
      if (normalized(oldParameter.type, old) !== normalized(newParameter.type, candidate)) return false;
      continue;
    }
    const from = parameterType(context.checker, oldType, index, oldParameter.rest === true && !newParameter.rest);
    const to = parameterType(context.checker, newType, Math.min(index, candidate.parameters.length - 1), newParameter.rest === true && !oldParameter.rest);
    const relation = context.relateTypes(from, to, oldParameter.type, newParameter.type, { ignoreUndefined: true }).relation;
    if (relation !== "equivalent" && relation !== "widened" && relation !== "to-any") return false;
  }
  if (!set.compareReturns) return true;
  if (generic || !oldType || !newType || !context.checker) return normalized(old.returns, old) === normalized(candidate.returns, candidate);
  const relation = context.relateTypes(oldType.getReturnType(), newType.getReturnType(), old.returns, candidate.returns).relation;
  return relation === "equivalent" || relation === "narrowed" || relation === "to-any";
}

/** A parameter's type in the checker's signature; `element`: the element type of a rest parameter's array. */
function parameterType(checker: ts.TypeChecker, signature: ts.Signature, index: number, element: boolean): ts.Type | undefined {
  const parameter = signature.getParameters()[index];
  if (!parameter) return undefined;
  const type = checker.getTypeOfSymbol(parameter);
  return element ? (checker.getIndexTypeOfType(type, ts.IndexKind.Number) ?? type) : type;
}

/** A type's text with the signature's type parameters renamed by position, so `<T>(x: T)` and `<U>(x: U)` read the same. */
function normalized(text: string, signature: ApiSignature): string {
  let result = text;
  signature.typeParameters?.forEach((parameter, index) => {
    result = result.replace(new RegExp(`(?<![\\w$])${escapeRegExp(parameter.name)}(?![\\w$])`, "g"), `$${index}`);
  });
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

class SignaturePair {
  private readonly old: ApiSignature;
  private readonly new: ApiSignature;
  private readonly oldType: ts.Signature | undefined;
  private readonly newType: ts.Signature | undefined;
  private readonly key: string;
  private readonly generic: boolean;

  constructor(
    private readonly context: DiffContext,
    private readonly set: SignatureSet,
    oldIndex: number,
    newIndex: number,
  ) {
    this.old = set.old[oldIndex];
    this.new = set.new[newIndex];
    this.oldType = set.oldTypes?.[oldIndex];
    this.newType = set.newTypes?.[newIndex];
    this.key = signatureKey(set.keyPath, set.kind, newIndex);
    this.generic = Boolean(this.old.typeParameters?.length || this.new.typeParameters?.length);
  }

  diff(): void {
    const label = this.set.old.length > 1 || this.set.new.length > 1 ? `${this.set.label} (overload ${signatureText(this.new)})` : this.set.label;
    diffTags(this.context, this.old, this.new, this.set.symbol, { key: this.key }, label);
    diffTypeParameters(this.context, {
      old: this.old.typeParameters ?? [],
      new: this.new.typeParameters ?? [],
      oldTypes: this.oldType?.getTypeParameters(),
      newTypes: this.newType?.getTypeParameters(),
      owner: this.key,
      symbol: this.set.symbol,
      label,
      inferred: this.set.typeParametersInferred,
    });
    if (this.old.this !== this.new.this) this.typeChange("parameter", this.old.this ?? "unknown", this.new.this ?? "unknown", undefined, undefined, `${label}: the type of 'this'`, this.key);
    this.parameters(label);
    if (this.set.compareReturns && normalized(this.old.returns, this.old) !== normalized(this.new.returns, this.new)) {
      this.typeChange("return", this.old.returns, this.new.returns, this.oldType && returnTypeOf(this.context.checker, this.oldType), this.newType && returnTypeOf(this.context.checker, this.newType), `${label}: the return type`, this.key);
    }
  }

  private parameters(label: string): void {
    const oldParameters = this.old.parameters;
    const newParameters = this.new.parameters;
    const oldRest = oldParameters.at(-1)?.rest === true;
    const newRest = newParameters.at(-1)?.rest === true;
    const count = Math.max(oldParameters.length, newParameters.length);
    for (let index = 0; index < count; index++) {
      const before = oldParameters[index] ?? (oldRest ? oldParameters.at(-1) : undefined);
      const after = newParameters[index] ?? (newRest ? newParameters.at(-1) : undefined);
      const oldHere = oldParameters[index];
      const newHere = newParameters[index];
      const where = newHere ? parameterKey(this.key, index) : this.key;
      if (oldHere && !newHere && !after) {
        this.report(oldHere.rest ? "rest-parameter-removed" : "parameter-removed", { classification: "breaking", proof: "proven" }, this.key, `${label}: the parameter '${oldHere.name}' was removed: calls that pass it now have too many arguments`);
        continue;
      }
      if (!oldHere && newHere && !before) {
        if (newHere.rest) this.report("rest-parameter-added", { classification: "additive", proof: "proven" }, where, `${label}: new rest parameter '...${newHere.name}'; existing calls still work`);
        else if (newHere.optional) this.report("optional-parameter-added", { classification: "additive", proof: "proven" }, where, `${label}: new optional parameter '${newHere.name}'; existing calls still work`);
        else this.report("required-parameter-added", { classification: "breaking", proof: "proven" }, where, `${label}: new required parameter '${newHere.name}': existing calls pass ${arity(this.old).min === arity(this.old).max ? arity(this.old).max : `at most ${arity(this.old).max}`} argument${arity(this.old).max === 1 ? "" : "s"} and no longer compile`);
        continue;
      }
      if (!before || !after) continue;
      this.parameter(label, index, before, after, oldHere, newHere, where);
    }
  }

  private parameter(label: string, index: number, before: ApiParameter, after: ApiParameter, oldHere: ApiParameter | undefined, newHere: ApiParameter | undefined, where: string): void {
    if (oldHere?.rest && newHere && !newHere.rest) {
      this.report("rest-parameter-removed", { classification: "breaking", proof: "proven" }, where, `${label}: '...${oldHere.name}' is no longer a rest parameter: calls that pass more arguments fail`);
      return;
    }
    if (newHere?.rest && oldHere && !oldHere.rest) {
      this.report("rest-parameter-added", { classification: "additive", proof: "proven" }, where, `${label}: '${oldHere.name}' became the rest parameter '...${newHere.name}'; calls may pass more arguments`);
    }
    if (oldHere && newHere && !oldHere.rest && !newHere.rest) {
      if (oldHere.name !== newHere.name) this.report("parameter-renamed", { classification: "internal", proof: "proven" }, where, `${label}: the parameter '${oldHere.name}' is now named '${newHere.name}' (arguments are positional)`);
      if (oldHere.optional && !newHere.optional) this.report("parameter-made-required", { classification: "breaking", proof: "proven" }, where, `${label}: the parameter '${newHere.name}' is now required: calls that omit it no longer compile`);
      else if (!oldHere.optional && newHere.optional) this.report("parameter-made-optional", { classification: "additive", proof: "proven" }, where, `${label}: the parameter '${newHere.name}' is now optional`);
    } else if (!oldHere && newHere && !newHere.rest && !newHere.optional) {
      // A fixed parameter after an old rest parameter: calls that passed fewer arguments fail.
      this.report("required-parameter-added", { classification: "breaking", proof: "proven" }, where, `${label}: the new parameter '${newHere.name}' is required where the rest parameter allowed it to be left out`);
    }
    const oldElement = before.rest === true && !after.rest;
    const newElement = after.rest === true && !before.rest;
    const oldText = oldElement ? elementText(before.type) : before.type;
    const newText = newElement ? elementText(after.type) : after.type;
    if (normalized(oldText, this.old) === normalized(newText, this.new)) return;
    const checker = this.context.checker;
    const oldType = checker && this.oldType ? parameterType(checker, this.oldType, Math.min(index, this.old.parameters.length - 1), oldElement) : undefined;
    const newType = checker && this.newType ? parameterType(checker, this.newType, Math.min(index, this.new.parameters.length - 1), newElement) : undefined;
    this.typeChange("parameter", oldText, newText, oldType, newType, `${label}: the parameter '${after.name}'`, where, { ignoreUndefined: Boolean(before.optional || after.optional) });
  }

  private typeChange(element: "parameter" | "return", oldText: string, newText: string, oldType: ts.Type | undefined, newType: ts.Type | undefined, subject: string, where: string, options: { ignoreUndefined?: boolean } = {}): void {
    const variance: Variance = this.set.mode === "implement" ? "inout" : element === "parameter" ? "in" : "out";
    let { relation, proof } = this.generic ? this.genericRelation(variance) : this.context.relateTypes(oldType, newType, oldText, newText, options);
    if (this.generic && relation !== "equivalent") proof = "heuristic";
    const verdict = verdictOf(relation, variance, proof);
    if (relation === "equivalent" && this.generic && normalized(oldText, this.old) !== normalized(newText, this.new) && verdict.classification === "internal") {
      this.report("type-rewritten", verdict, where, `${subject} is written ${quoteType(newText)} (was ${quoteType(oldText)}); the signature is the same`);
      return;
    }
    this.report(typeChangeKind(element, relation), verdict, where, `${subject} ${relationWords(relation)}: ${quoteType(oldText)} → ${quoteType(newText)}${consequence(element, relation, variance)}`);
  }

  /**
   * Generic signatures: their parts mention type parameters that differ between the two sides,
   * so only the whole function type can be related (TypeScript unifies the type parameters).
   * Its verdict is attributed to the part whose text changed.
   */
  private genericRelation(variance: Variance): { relation: Relation; proof: "proven" | "heuristic" } {
    const whole = this.set.whole;
    const checker = this.context.checker;
    if (!whole || !checker) return { relation: "changed", proof: "heuristic" };
    const newFitsOld = checker.isTypeAssignableTo(whole.new, whole.old);
    const oldFitsNew = checker.isTypeAssignableTo(whole.old, whole.new);
    if (newFitsOld && oldFitsNew) return { relation: "equivalent", proof: "proven" };
    // A function type that fits the old one is one every old call still compiles against.
    if (newFitsOld) return { relation: variance === "in" ? "widened" : variance === "out" ? "narrowed" : "changed", proof: "proven" };
    return { relation: variance === "in" ? "narrowed" : variance === "out" ? "widened" : "changed", proof: "proven" };
  }

  private report(kind: Parameters<DiffContext["report"]>[0]["kind"], verdict: Parameters<DiffContext["report"]>[0]["verdict"], key: string, message: string): void {
    this.context.report({ kind, symbol: this.set.symbol, verdict, at: { key }, message });
  }
}

function returnTypeOf(checker: ts.TypeChecker | undefined, signature: ts.Signature): ts.Type | undefined {
  if (!checker) return undefined;
  const predicate = checker.getTypePredicateOfSignature(signature);
  return predicate?.type ?? signature.getReturnType();
}

function elementText(arrayText: string): string {
  const match = /^(?:readonly )?(.*)\[\]$/.exec(arrayText) ?? /^(?:Readonly)?Array<(.*)>$/.exec(arrayText);
  if (!match) return arrayText;
  return /^\(.*\)$/.test(match[1]) ? match[1].slice(1, -1) : match[1];
}

function consequence(element: "parameter" | "return", relation: Relation, variance: Variance): string {
  const verdict = verdictOf(relation, variance);
  if (verdict.classification !== "breaking") return "";
  if (variance === "inout") return ": code that implements it or calls it may no longer compile";
  return element === "parameter" ? ": calls that pass values of the old type may no longer compile" : ": code that uses the result as the old type may no longer compile";
}

export interface TypeParameterList {
  old: readonly ApiTypeParameter[];
  new: readonly ApiTypeParameter[];
  oldTypes?: readonly ts.TypeParameter[];
  newTypes?: readonly ts.TypeParameter[];
  /** The location key they hang off. */
  owner: string;
  symbol: string;
  label: string;
  /** A function's: callers usually let them be inferred. */
  inferred: boolean;
}

export function diffTypeParameters(context: DiffContext, list: TypeParameterList): void {
  const count = Math.max(list.old.length, list.new.length);
  const explicitOnly = list.inferred ? "heuristic" : "proven";
  const positional = (text: string | undefined, parameters: readonly ApiTypeParameter[]) => {
    if (text === undefined) return undefined;
    let result = text;
    parameters.forEach((parameter, index) => (result = result.replace(new RegExp(`(?<![\\w$])${escapeRegExp(parameter.name)}(?![\\w$])`, "g"), `$${index}`)));
    return result;
  };
  for (let index = 0; index < count; index++) {
    const before = list.old[index];
    const after = list.new[index];
    const at = after ? { key: typeParameterKey(list.owner, after.name) } : { key: list.owner };
    if (before && !after) {
      context.report({ kind: "type-parameter-removed", symbol: list.symbol, verdict: { classification: "breaking", proof: explicitOnly }, at, message: `${list.label}: the type parameter '${before.name}' was removed: code that passes type arguments explicitly passes too many` });
      continue;
    }
    if (!before && after) {
      if (after.default !== undefined) context.report({ kind: "optional-type-parameter-added", symbol: list.symbol, verdict: { classification: "additive", proof: "proven" }, at, message: `${list.label}: new type parameter '${after.name}' with a default (${after.default})` });
      else context.report({ kind: "required-type-parameter-added", symbol: list.symbol, verdict: { classification: "breaking", proof: explicitOnly }, at, message: `${list.label}: new type parameter '${after.name}' without a default: code that passes type arguments explicitly passes too few` });
      continue;
    }
    const oldConstraint = positional(before.constraint, list.old) ?? "unknown";
    const newConstraint = positional(after.constraint, list.new) ?? "unknown";
    if (oldConstraint !== newConstraint) {
      const oldType = list.oldTypes?.[index]?.getConstraint() ?? (list.oldTypes?.[index] && context.checker?.getUnknownType());
      const newType = list.newTypes?.[index]?.getConstraint() ?? (list.newTypes?.[index] && context.checker?.getUnknownType());
      let { relation, proof } = context.relateTypes(oldType, newType, oldConstraint, newConstraint);
      // A constraint that mentions the type parameters relates types of two different declarations: only a rule can judge it.
      if (/\$\d/.test(oldConstraint) || /\$\d/.test(newConstraint)) proof = "heuristic";
      const kind = relation === "equivalent" ? "type-rewritten" : relation === "narrowed" ? "type-parameter-constraint-tightened" : relation === "widened" || relation === "to-any" ? "type-parameter-constraint-loosened" : relation === "from-any" ? "type-parameter-constraint-tightened" : "type-parameter-constraint-changed";
      const classification = relation === "equivalent" ? "internal" : kind === "type-parameter-constraint-loosened" ? "additive" : "breaking";
      context.report({
        kind,
        symbol: list.symbol,
        verdict: { classification, proof },
        at,
        message: `${list.label}: the constraint of '${after.name}' ${relation === "narrowed" ? "is tighter" : relation === "widened" ? "is looser" : relationWords(relation)}: ${quoteType(before.constraint ?? "unknown")} → ${quoteType(after.constraint ?? "unknown")}${classification === "breaking" ? ": type arguments that met the old constraint may not meet the new one" : ""}`,
      });
    }
    const oldDefault = positional(before.default, list.old);
    const newDefault = positional(after.default, list.new);
    if (oldDefault !== newDefault) {
      const classification = newDefault === undefined ? "breaking" : oldDefault === undefined ? "additive" : "breaking";
      const proof = newDefault === undefined ? explicitOnly : "heuristic";
      context.report({
        kind: "type-parameter-default-changed",
        symbol: list.symbol,
        verdict: { classification, proof },
        at,
        message:
          newDefault === undefined
            ? `${list.label}: the type parameter '${after.name}' lost its default (${before.default}): code that leaves it out no longer compiles`
            : oldDefault === undefined
              ? `${list.label}: the type parameter '${after.name}' has a default now (${after.default})`
              : `${list.label}: the default of '${after.name}' changed: ${quoteType(before.default!)} → ${quoteType(after.default!)}: code that leaves it out gets another type`,
      });
    }
  }
}

const releaseRank = (tag: ReleaseTag | undefined) => (tag === "alpha" ? 2 : tag === "beta" ? 1 : 0);

/** `@deprecated` and release tags of a declaration, a member or an overload. */
export function diffTags(context: DiffContext, before: ApiDocTags, after: ApiDocTags, symbol: string, at: { key: string }, label: string): void {
  if (before.deprecated === undefined && after.deprecated !== undefined) {
    context.report({ kind: "deprecated-added", symbol, verdict: { classification: "additive", proof: "heuristic" }, at, message: `${label} is now deprecated${after.deprecated ? `: ${after.deprecated}` : ""}` });
  } else if (before.deprecated !== undefined && after.deprecated === undefined) {
    context.report({ kind: "deprecated-removed", symbol, verdict: { classification: "internal", proof: "heuristic" }, at, message: `${label} is no longer deprecated` });
  }
  const was = releaseRank(before.release);
  const now = releaseRank(after.release);
  if (was !== now) {
    const name = (tag: ReleaseTag | undefined) => (tag ? `@${tag}` : "public");
    context.report({
      kind: "release-tag-changed",
      symbol,
      verdict: { classification: now > was ? "breaking" : "additive", proof: "heuristic" },
      at,
      message: `${label} is now ${name(after.release)} (was ${name(before.release)})${now > was ? ": it no longer promises stability" : ""}`,
    });
  }
}

/** The checker's signatures of a type, without the `@internal` overloads the description leaves out. */
export function publicSignatures(checker: ts.TypeChecker, type: ts.Type, kind: ts.SignatureKind): readonly ts.Signature[] {
  return checker.getSignaturesOfType(type, kind).filter((signature) => !docTagsOf(signature.getDeclaration()).internal);
}
