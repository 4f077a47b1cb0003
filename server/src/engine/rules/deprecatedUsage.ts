import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { isWriteReference, referencesTo } from "./util/references";
import { reasonOf, replacementNamed, type Replacement } from "./util/deprecation";

/**
 * Code that uses a `@deprecated` API breaks when the API goes, usually in someone else's
 * release. Type-aware, because what is deprecated is a declaration: which one a name refers to,
 * and which overload a call picks, only the checker knows. Where the tag names a replacement
 * (`@deprecated Use {@link newName}`), the fix switches to it, but only when that name resolves
 * to the same declaration at the use site and fits wherever the old one was used.
 */
export const deprecatedUsage: FileRule = {
  meta: {
    id: "deprecated-usage",
    description: "Report uses of declarations marked `@deprecated`; switch to the named replacement where it provably fits.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker, program } = context;
    if (!checker) return;
    const unusedIsError = program?.getCompilerOptions().noUnusedLocals === true;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && isUse(node)) {
        const found = deprecationAt(node, checker);
        if (found) {
          const reason = reasonOf(found.tag);
          // Deprecated only through the signature a call picks (`const f = obj.old; f()`): the tag is not about the name used.
          const replacement = found.viaSignature ? undefined : replacementNamed(found.tag, checker);
          const keepsUsed = !unusedIsError || !wouldBecomeUnused(node, checker, sourceFile);
          const fix = replacement && keepsUsed && fixFor(node, found.symbol, replacement, checker, sourceFile);
          context.report(node, `\`${node.text}\` is deprecated${reason ? `: ${reason}` : "."}`, fix ? [fix] : []);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
};

/** A name that refers to something: not the name being declared, not an import/export list entry (the uses are reported instead). */
function isUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  // Every declaration keeps its name in `name`; of the other nodes with a `name`, these are uses.
  const isDeclarationName = (parent as { name?: ts.Node }).name === node && !ts.isPropertyAccessExpression(parent) && !ts.isShorthandPropertyAssignment(parent) && !ts.isMetaProperty(parent);
  if (isDeclarationName) return false;
  return !(ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isImportEqualsDeclaration(parent));
}

/**
 * Under noUnusedLocals, replacing the last use of an import or of a file-local declaration
 * leaves it unused, which is a compile error. Every other use of it being deprecated too (and so
 * possibly replaced by the same fix, all together) counts as no use.
 */
function wouldBecomeUnused(node: ts.Identifier, checker: ts.TypeChecker, sourceFile: ts.SourceFile): boolean {
  const local = ts.isShorthandPropertyAssignment(node.parent) ? undefined : checker.getSymbolAtLocation(node);
  const declarations = local?.declarations ?? [];
  if (!local || declarations.length === 0 || declarations.some((declaration) => declaration.getSourceFile() !== sourceFile)) return false;
  const isLocal = local.flags & ts.SymbolFlags.Alias || declarations.every((declaration) => !(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) || ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private);
  if (!isLocal) return false;
  return !referencesTo(local, sourceFile, checker).some((reference) => reference !== node && !deprecationAt(reference, checker));
}

interface Deprecation {
  symbol: ts.Symbol;
  tag: ts.JSDocDeprecatedTag;
  /** The name is not deprecated itself, but is called with a signature that is (a variable or property holding a deprecated method). */
  viaSignature?: boolean;
}

/** As TypeScript's own strike-through decides: by the chosen overload for calls, by the declarations otherwise. */
function deprecationAt(node: ts.Identifier, checker: ts.TypeChecker): Deprecation | undefined {
  let symbol = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol.declarations ?? [];
  if (declarations.length === 0) return undefined;
  const call = invocationOf(node);
  if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) {
    if (call) {
      const tag = signatureDeprecation(call, checker);
      return tag ? { symbol, tag } : undefined;
    }
    const functions = declarations.filter(ts.isFunctionLike);
    return functions.every((declaration) => ts.getJSDocDeprecatedTag(declaration)) ? withTag(symbol, functions[0] ?? declarations[0]) : undefined;
  }
  const tags = declarations.map((declaration) => ts.getJSDocDeprecatedTag(declaration));
  const parentIsInterface = declarations.length > 1 && declarations.some((declaration) => declaration.parent !== undefined && ts.isInterfaceDeclaration(declaration.parent)); // A module's declarations include its SourceFile, which has no parent.
  if (parentIsInterface ? tags.some(Boolean) : tags.every(Boolean)) return { symbol, tag: tags.find(Boolean)! };
  const own = symbol.valueDeclaration ? withTag(symbol, symbol.valueDeclaration) : undefined;
  if (own || !call) return own;
  // TypeScript strikes through any call whose chosen signature is deprecated, whatever holds the
  // function: `const { format } = error; format()` (found on zod's tests).
  const tag = signatureDeprecation(call, checker);
  return tag ? { symbol, tag, viaSignature: true } : undefined;
}

function signatureDeprecation(call: ts.CallLikeExpression, checker: ts.TypeChecker): ts.JSDocDeprecatedTag | undefined {
  const declaration = checker.getResolvedSignature(call)?.declaration;
  return declaration && !ts.isJSDocSignature(declaration) ? ts.getJSDocDeprecatedTag(declaration) : undefined;
}

function withTag(symbol: ts.Symbol, declaration: ts.Declaration): Deprecation | undefined {
  const tag = ts.getJSDocDeprecatedTag(declaration);
  return tag ? { symbol, tag } : undefined;
}

/** The call, `new`, tagged template, decorator or JSX element that invokes `node` (directly or as `a.node`). */
function invocationOf(node: ts.Identifier): ts.CallLikeExpression | undefined {
  let callee: ts.Node = node;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) callee = node.parent;
  const parent = callee.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isDecorator(parent)) && parent.expression === callee) return parent;
  if (ts.isTaggedTemplateExpression(parent) && parent.tag === callee) return parent;
  if ((ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && parent.tagName === callee) return parent;
  return undefined;
}

/**
 * Three shapes are fixed: a plain value name (`oldFn(x)`), a member (`api.oldFn(x)`), and a
 * type name without arguments (`let a: OldType`). Writes, shorthand properties, JSX tags and
 * generic type references are reported only.
 */
function fixFor(node: ts.Identifier, deprecated: ts.Symbol, replacement: Replacement, checker: ts.TypeChecker, sourceFile: ts.SourceFile): FixBuilder | undefined {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent) || isWriteReference(node) || ts.isJsxOpeningLikeElement(parent) || ts.isJsxClosingElement(parent)) return undefined;
  let target: ts.Symbol | undefined;
  let name = replacement.name;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    name = name.slice(name.lastIndexOf(".") + 1);
    target = checker.getPropertyOfType(checker.getTypeAtLocation(parent.expression), name);
    if (!target || (replacement.symbol && !sameDeclarations(replacement.symbol, target)) || !isPublic(target)) return undefined;
  } else if (ts.isTypeReferenceNode(parent) && !parent.typeArguments) {
    target = resolved(checker.resolveName(name, node, ts.SymbolFlags.Type, false), checker);
    if (!target || target !== replacement.symbol || !sameDeclaredType(target, deprecated, checker)) return undefined;
    return replaceWith(node, name, sourceFile);
  } else if (ts.isPartOfTypeNode(node) || ts.isQualifiedName(parent) || ts.isPropertyAccessExpression(parent)) {
    return undefined;
  } else {
    target = resolved(checker.resolveName(name, node, ts.SymbolFlags.Value, false), checker);
    if (!target || target !== replacement.symbol) return undefined;
  }
  if (name.includes(".") || deprecationOf(target)) return undefined;
  return fitsUse(node, deprecated, target, checker) ? replaceWith(node, name, sourceFile) : undefined;
}

/** A member of an instantiated generic is a fresh symbol each time; its declarations are the stable identity. */
function sameDeclarations(a: ts.Symbol, b: ts.Symbol): boolean {
  return a === b || (b.declarations ?? []).some((declaration) => a.declarations?.includes(declaration));
}

function replaceWith(node: ts.Identifier, name: string, sourceFile: ts.SourceFile): FixBuilder {
  return { title: `Use \`${name}\` instead`, isPreferred: true, edits: [{ start: node.getStart(sourceFile), end: node.getEnd(), newText: name }] };
}

function resolved(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function deprecationOf(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) => ts.getJSDocDeprecatedTag(declaration) !== undefined);
}

function isPublic(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).every(
    (declaration) => !(ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !ts.isPrivateIdentifier(ts.getNameOfDeclaration(declaration) ?? declaration),
  );
}

function sameDeclaredType(a: ts.Symbol, b: ts.Symbol, checker: ts.TypeChecker): boolean {
  const left = checker.getDeclaredTypeOfSymbol(a);
  const right = checker.getDeclaredTypeOfSymbol(b);
  return checker.isTypeAssignableTo(left, right) && checker.isTypeAssignableTo(right, left);
}

/**
 * The replacement fits when the call still type-checks the same way (each argument accepted,
 * a result usable wherever the old one was), or, for a value that is passed around, when its
 * type is assignable to the deprecated one's.
 */
function fitsUse(node: ts.Identifier, deprecated: ts.Symbol, target: ts.Symbol, checker: ts.TypeChecker): boolean {
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
