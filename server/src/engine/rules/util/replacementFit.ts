import * as ts from "typescript";
import { isWriteReference } from "./references";

/**
 * Whether a deprecated name's replacement can stand where the old name is written, so that the
 * code still type-checks the same way. Shared by the fix that switches one use and the one that
 * migrates a whole file's import; which symbol the new name would mean there is the caller's to
 * find, this only judges the fit.
 */

/**
 * How a name is used, as far as swapping it for another name goes: a value (`f(x)`, `[f]`,
 * `new C()`), a type reference (`T`, `T<A>`, `implements T`), a `typeof` query, or a class's
 * base (`extends C`, a value and a type at once). Undefined for what a swap of the name alone
 * cannot carry: writes, `{ x }` shorthands, JSX tags, `export { x }` lists, the left of a
 * qualified name, a member name.
 */
export type UseShape = "value" | "type" | "typeQuery" | "classBase";

export function shapeOfUse(node: ts.Identifier): UseShape | undefined {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent) || ts.isExportSpecifier(parent) || ts.isJsxOpeningLikeElement(parent) || ts.isJsxClosingElement(parent)) return undefined;
  if (ts.isTypeReferenceNode(parent)) return parent.typeName === node ? "type" : undefined;
  if (ts.isTypeQueryNode(parent)) return parent.exprName === node ? "typeQuery" : undefined;
  if (ts.isExpressionWithTypeArguments(parent) && parent.expression === node && ts.isHeritageClause(parent.parent)) {
    return parent.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(parent.parent.parent) ? "classBase" : "type";
  }
  if (ts.isPartOfTypeNode(node) || ts.isQualifiedName(parent) || (ts.isPropertyAccessExpression(parent) && parent.name === node)) return undefined;
  return isWriteReference(node) ? undefined : "value";
}

/** Whether `target` can replace `deprecated` where `node` (shaped `shape`) names it. */
export function fitsUse(node: ts.Identifier, shape: UseShape, deprecated: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  switch (shape) {
    case "type":
      return target.flags & ts.SymbolFlags.Type ? fitsTypeReference(referenceOf(node), deprecated, target, checker) : false;
    // The old name's value and type both stay in play here; only a name for the very same value says nothing changes.
    case "typeQuery":
    case "classBase":
      return isExactAlias(deprecated, target, checker);
    case "value":
      return target.flags & ts.SymbolFlags.Value ? fitsValue(node, deprecated, target, checker) : false;
  }
}

/** The type reference or heritage entry `node` names, as `Name` or `ns.Name`. */
function referenceOf(node: ts.Identifier): ts.TypeReferenceNode | ts.ExpressionWithTypeArguments {
  let name: ts.Node = node;
  while (ts.isQualifiedName(name.parent) || ts.isPropertyAccessExpression(name.parent)) name = name.parent;
  return name.parent as ts.TypeReferenceNode | ts.ExpressionWithTypeArguments;
}

/**
 * The two types must be the same: mutually assignable, for a reference without type arguments;
 * or the deprecated declaration is a type alias that passes its own parameters straight to the
 * replacement, so that `Old<X, Y>` is `New<X, Y>` by construction. A parameter the reference
 * leaves out takes each side's default, which must then be written alike (as "Restore
 * compatibility" copies them).
 */
function fitsTypeReference(reference: ts.TypeReferenceNode | ts.ExpressionWithTypeArguments, deprecated: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  const given = reference.typeArguments?.length ?? 0;
  if (given === 0 && sameDeclaredType(target, deprecated, checker)) return true;
  const alias = deprecated.declarations?.find(ts.isTypeAliasDeclaration);
  const parameters = alias?.typeParameters ?? [];
  if (!alias || given > parameters.length || !passesParametersThrough(alias, target, checker)) return false;
  return given === parameters.length || omittedDefaultsAgree(alias, target, given, checker);
}

/** The alias's parameters from `given` on have defaults written as the replacement's are, names meaning the same (a parameter its counterpart). */
function omittedDefaultsAgree(alias: ts.TypeAliasDeclaration, target: ts.Symbol, given: number, checker: ts.TypeChecker): boolean {
  const own = alias.typeParameters ?? [];
  const theirs = target.declarations?.find((declaration): declaration is ts.ClassLikeDeclaration | ts.InterfaceDeclaration | ts.TypeAliasDeclaration => (ts.isClassLike(declaration) || ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)) && declaration.typeParameters !== undefined)?.typeParameters;
  if (!theirs || theirs.length < own.length) return false;
  const counterpart = new Map(own.map((parameter, index) => [checker.getSymbolAtLocation(parameter.name), checker.getSymbolAtLocation(theirs[index].name)]));
  for (let index = given; index < own.length; index++) {
    const mine = own[index].default;
    const other = theirs[index].default;
    if (!mine || !other || mine.getText() !== other.getText()) return false;
    // The same text parses the same; each name must also mean the same thing on both sides.
    const left = identifiersIn(mine);
    const right = identifiersIn(other);
    const agree = left.every((identifier, position) => {
      const a = checker.getSymbolAtLocation(identifier);
      const b = checker.getSymbolAtLocation(right[position]);
      if (!a || !b) return a === b && isNameOfMember(identifier);
      return counterpart.has(a) ? counterpart.get(a) === b : resolved(a, checker) === resolved(b, checker) || (isNameOfMember(identifier) && isNameOfMember(right[position]));
    });
    if (left.length !== right.length || !agree) return false;
  }
  return true;
}

function identifiersIn(node: ts.Node): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) found.push(child);
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** `{ name: T }`'s `name`: a member of a type literal written there, whose symbol is its own on each side. */
function isNameOfMember(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) && parent.name === identifier;
}

/** `type Old<A, B> = New<A, B>`: the body is a reference to `target` whose arguments are the alias's own parameters, each once, in order. */
export function passesParametersThrough(alias: ts.TypeAliasDeclaration, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  const parameters = alias.typeParameters ?? [];
  const body = alias.type;
  if (!ts.isTypeReferenceNode(body) || body.typeArguments?.length !== parameters.length) return false;
  const named = resolved(checker.getSymbolAtLocation(ts.isIdentifier(body.typeName) ? body.typeName : body.typeName.right), checker);
  if (!named || !sameDeclarations(named, target)) return false;
  return body.typeArguments.every((argument, index) => {
    if (!ts.isTypeReferenceNode(argument) || argument.typeArguments || !ts.isIdentifier(argument.typeName)) return false;
    const parameter = checker.getSymbolAtLocation(parameters[index].name);
    return parameter !== undefined && checker.getSymbolAtLocation(argument.typeName) === parameter;
  });
}

/**
 * `const Old = New` (what "Restore compatibility" writes for a renamed function or class): the
 * same value under another name, with the very same type, so any use of one is a use of the
 * other (`new Old(a)`, a generic call, `typeof Old`, `extends Old`).
 */
export function isExactAlias(deprecated: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  const declaration = deprecated.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return false;
  const initializer = declaration.initializer;
  if (!ts.isIdentifier(initializer) && !ts.isPropertyAccessExpression(initializer)) return false;
  const named = resolved(checker.getSymbolAtLocation(ts.isIdentifier(initializer) ? initializer : initializer.name), checker);
  return named !== undefined && sameDeclarations(named, target) && checker.getTypeOfSymbol(deprecated) === checker.getTypeOfSymbol(target);
}

/**
 * A value fits when the call still type-checks the same way (each argument accepted, a result
 * usable wherever the old one was), or, for a value that is passed around, when its type is
 * assignable to the deprecated one's. A `new`, tagged template, decorator or JSX use fits only
 * an exact alias.
 */
function fitsValue(node: ts.Identifier, deprecated: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (isExactAlias(deprecated, target, checker)) return true;
  const oldType = checker.getTypeOfSymbolAtLocation(deprecated, node);
  const newType = checker.getTypeOfSymbolAtLocation(target, node);
  const call = invocationOf(node);
  if (!call) return checker.isTypeAssignableTo(newType, oldType);
  if (!ts.isCallExpression(call)) return false;
  const oldSignature = checker.getResolvedSignature(call);
  const signatures = newType.getCallSignatures();
  if (!oldSignature || signatures.length !== 1) return false;
  return acceptsArguments(signatures[0], call, checker) && checker.isTypeAssignableTo(signatures[0].getReturnType(), oldSignature.getReturnType());
}

function acceptsArguments(signature: ts.Signature, call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  if (signature.getTypeParameters()?.length || call.arguments.some(ts.isSpreadElement)) return false;
  const parameters = signature.getParameters().map((parameter) => parameter.valueDeclaration);
  if (!parameters.every((parameter): parameter is ts.ParameterDeclaration => parameter !== undefined && ts.isParameter(parameter))) return false;
  const rest = parameters.length > 0 && parameters[parameters.length - 1].dotDotDotToken !== undefined;
  const fixed = rest ? parameters.length - 1 : parameters.length;
  let required = 0;
  parameters.slice(0, fixed).forEach((parameter, index) => {
    if (!parameter.questionToken && !parameter.initializer) required = index + 1;
  });
  if (call.arguments.length < required || (!rest && call.arguments.length > fixed)) return false;
  return call.arguments.every((argument, index) => {
    const declared = checker.getTypeAtLocation(index < fixed ? parameters[index] : parameters[fixed]);
    const accepted = index < fixed ? declared : checker.getIndexTypeOfType(declared, ts.IndexKind.Number);
    return accepted !== undefined && checker.isTypeAssignableTo(checker.getTypeAtLocation(argument), accepted);
  });
}

/** The call, `new`, tagged template, decorator or JSX element that invokes `node` (directly or as `a.node`). */
export function invocationOf(node: ts.Identifier): ts.CallLikeExpression | undefined {
  let callee: ts.Node = node;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) callee = node.parent;
  const parent = callee.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isDecorator(parent)) && parent.expression === callee) return parent;
  if (ts.isTaggedTemplateExpression(parent) && parent.tag === callee) return parent;
  if ((ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && parent.tagName === callee) return parent;
  return undefined;
}

function sameDeclaredType(a: ts.Symbol, b: ts.Symbol, checker: ts.TypeChecker): boolean {
  const left = checker.getDeclaredTypeOfSymbol(a);
  const right = checker.getDeclaredTypeOfSymbol(b);
  return checker.isTypeAssignableTo(left, right) && checker.isTypeAssignableTo(right, left);
}

/** A member of an instantiated generic is a fresh symbol each time, and an export is another object than its local; their declarations are the stable identity. */
export function sameDeclarations(a: ts.Symbol, b: ts.Symbol): boolean {
  return a === b || (b.declarations ?? []).some((declaration) => a.declarations?.includes(declaration));
}

export function resolved(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}
