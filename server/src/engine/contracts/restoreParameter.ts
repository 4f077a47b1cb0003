/**
 * "Restore compatibility" for a parameter that calls written against the baseline do not pass
 * (a new required one, or one made required): make it optional where some value of its own
 * type can stand for "not passed". Old calls then compile again, and the body receives that
 * value for them; whether that is the old behaviour is the body's business, so the rationale
 * says which value and asks for a review.
 */
import * as ts from "typescript";
import { normalizePath } from "../workspace/paths";
import type { ContractChange } from "./model";
import { parseTypeText } from "./namesInScope";
import { describedAt, nodeAtChange, type RestoreContext, type RestoreFix } from "./restoreContext";
import { insertAt } from "./sourceInsertion";

type Body = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.ArrowFunction | ts.FunctionExpression;

interface Default {
  /** Inserted after the name (`?`) or after the type (`= false`). */
  text: string;
  after: "name" | "type";
  /** What the body receives for calls that leave the parameter out. */
  received: string;
  why: string;
}

export function optionalParameterFix(change: ContractChange, context: RestoreContext): RestoreFix | undefined {
  const sourceFile = context.editableSource(change.file);
  const parameter = sourceFile && nodeAtChange(sourceFile, change, (node, offset): node is ts.ParameterDeclaration => ts.isParameter(node) && node.name.getStart(sourceFile) === offset);
  if (!sourceFile || !parameter) return undefined;
  return madeOptional(change, [parameter], parameter.parent, sourceFile, context);
}

/**
 * An exported `const` holding an arrow function or function expression is described by its
 * type, so a new required parameter shows as a change of the variable's type. The parameters
 * that calls written against the baseline type leave out (beyond its count, or optional there)
 * are the ones to make optional.
 */
export function optionalArrowParametersFix(change: ContractChange, context: RestoreContext): RestoreFix | undefined {
  const before = describedAt(context.input.baseline.api, change.symbol)?.variable;
  const oldType = before && parseTypeText(before.type);
  if (!oldType || !ts.isFunctionTypeNode(oldType)) return undefined;
  const sourceFile = context.editableSource(change.file);
  const declaration = sourceFile && nodeAtChange(sourceFile, change, (node, offset): node is ts.VariableDeclaration => ts.isVariableDeclaration(node) && node.name.getStart(sourceFile) === offset);
  if (!sourceFile || !declaration || declaration.type || !declaration.initializer) return undefined;
  let initializer: ts.Expression = declaration.initializer;
  while (ts.isParenthesizedExpression(initializer)) initializer = initializer.expression;
  if (!ts.isArrowFunction(initializer) && !ts.isFunctionExpression(initializer)) return undefined;
  const oldParameters = oldType.parameters;
  const oldRest = oldParameters.at(-1)?.dotDotDotToken !== undefined;
  const leftOut = initializer.parameters.filter((parameter, index) => {
    if (isOptional(parameter)) return false;
    const old = oldParameters[index];
    return old ? old.questionToken !== undefined : !oldRest;
  });
  if (leftOut.length === 0) return undefined;
  return madeOptional(change, leftOut, initializer, sourceFile, context);
}

function madeOptional(change: ContractChange, parameters: readonly ts.ParameterDeclaration[], body: ts.Node, sourceFile: ts.SourceFile, context: RestoreContext): RestoreFix | undefined {
  if (!isImplementation(body) || hasOverloads(body, context.checker)) return undefined;
  if (parameters.some((parameter) => parameter.parent !== body || parameter.dotDotDotToken || isOptional(parameter))) return undefined;
  // A default before a required parameter does not make it optional to callers.
  const first = Math.min(...parameters.map((parameter) => body.parameters.indexOf(parameter)));
  if (body.parameters.slice(first).some((later) => !isOptional(later) && !later.dotDotDotToken && !parameters.includes(later))) return undefined;
  // `x => …` has no room for `?` or a type.
  if (ts.isArrowFunction(body) && !body.getChildren(sourceFile).some((child) => child.kind === ts.SyntaxKind.OpenParenToken)) return undefined;
  const chosen: Array<{ parameter: ts.ParameterDeclaration; value: Default }> = [];
  for (const parameter of parameters) {
    const value = defaultFor(parameter, context.checker);
    if (!value) return undefined;
    chosen.push({ parameter, value });
  }
  const named = chosen.map(({ parameter, value }) => {
    const name = parameter.name.getText(sourceFile);
    return { name, shown: value.after === "name" ? `\`${name}?\`` : `\`${value.text.trim()}\``, value };
  });
  const names = named.map(({ name }) => `\`${name}\``).join(", ");
  const shown = named.map(({ shown: text }) => text).join(", ");
  return {
    change,
    title: `Restore compatibility: make the parameter${named.length > 1 ? "s" : ""} ${names} of \`${change.symbol}\` optional (${shown})`,
    rationale: [
      `Calls written for ${context.contract} ${context.baselineVersion} do not pass ${names}; with ${shown} they compile again.`,
      ...named.map(({ name, value }) => `For those calls the body now receives ${value.received} for \`${name}\` (${value.why}), exactly as if a new caller passed it.`),
      `That keeps the old behaviour only if the body treats ${named.length > 1 ? "those values" : "that value"} the way the code before this change behaved: review the body before accepting.`,
    ].join(" "),
    changes: [
      {
        file: normalizePath(sourceFile.fileName),
        edits: chosen.map(({ parameter, value }) => insertAt(sourceFile, value.after === "name" ? parameter.name.getEnd() : (parameter.type ?? parameter.name).getEnd(), value.text)),
      },
    ],
  };
}

function isOptional(parameter: ts.ParameterDeclaration): boolean {
  return parameter.questionToken !== undefined || parameter.initializer !== undefined;
}

function isImplementation(node: ts.Node): node is Body {
  return (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body !== undefined;
}

/** Overloads would each need the same change, and the matching between them is a guess: none is offered. */
function hasOverloads(body: Body, checker: ts.TypeChecker): boolean {
  if (ts.isConstructorDeclaration(body)) return body.parent.members.filter(ts.isConstructorDeclaration).length > 1;
  if (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) return false;
  const symbol = body.name && checker.getSymbolAtLocation(body.name);
  return (symbol?.declarations ?? []).filter(ts.isFunctionLike).length > 1;
}

/**
 * The value that stands for "not passed", from the parameter's declared type, in this order:
 * `undefined` when the type already allows it (`?`, nothing new for the body); `false` for a
 * `boolean`; `null` when the type allows it; `[]` for an array; `{}` for an object type whose
 * properties are all optional. Anything else has no neutral value: no fix.
 */
function defaultFor(parameter: ts.ParameterDeclaration, checker: ts.TypeChecker): Default | undefined {
  const type = checker.getTypeAtLocation(parameter);
  const members = type.isUnion() ? type.types : [type];
  const has = (flags: ts.TypeFlags) => members.some((member) => (member.flags & flags) !== 0);
  if (has(ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) {
    // `?` on a destructuring pattern is not allowed in an implementation.
    if (!ts.isIdentifier(parameter.name)) return undefined;
    return { text: "?", after: "name", received: "`undefined`", why: "which its type already allows" };
  }
  const typed = parameter.type !== undefined;
  if (!typed) return undefined;
  if (type.flags & ts.TypeFlags.Boolean) return { text: " = false", after: "type", received: "`false`", why: "`false` is the usual meaning of a flag left out" };
  if (has(ts.TypeFlags.Null)) return { text: " = null", after: "type", received: "`null`", why: "its type allows `null`" };
  if (checker.isArrayType(type)) return { text: " = []", after: "type", received: "an empty array", why: "an empty array is a value of its type" };
  if (isOptionalObject(type, checker)) return { text: " = {}", after: "type", received: "an empty object", why: "every property of its type is optional, so `{}` is a value of it" };
  return undefined;
}

function isOptionalObject(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = type.isIntersection() ? type.types : [type];
  if (!parts.every((part) => part.flags & ts.TypeFlags.Object) || checker.isArrayLikeType(type) || type.isClass()) return false;
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return false;
  // A class instance type's private members cannot be met by `{}`, nor can a required property.
  return checker.getPropertiesOfType(type).every((property) => (property.flags & ts.SymbolFlags.Optional) !== 0 && !(property.valueDeclaration && ts.getCombinedModifierFlags(property.valueDeclaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)));
}
