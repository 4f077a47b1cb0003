import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { reasonOf, replacementNamed, type Replacement } from "./util/deprecation";
import { importMigration } from "./util/importMigration";
import { isAssignmentOperator, referencesTo } from "./util/references";
import { fitsUse, invocationOf, resolved, sameDeclarations, shapeOfUse } from "./util/replacementFit";

/**
 * Code that uses a `@deprecated` API breaks when the API goes, usually in someone else's
 * release. Type-aware, because what is deprecated is a declaration: which one a name refers to,
 * and which overload a call picks, only the checker knows. Where the tag names a replacement
 * (`@deprecated Use {@link newName}`), the fix switches to it, but only when that name resolves
 * to the same declaration at the use site and fits wherever the old one was used; where the file
 * imports the old name from a module that exports the new one too, the fix migrates the import
 * and every use at once (util/importMigration.ts).
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
    // One migration per import specifier, offered on each of its uses.
    const migrations = new Map<ts.ImportSpecifier, FixBuilder | undefined>();
    const migrationFor = (node: ts.Identifier): FixBuilder | undefined => {
      const specifier = program && importSpecifierOf(node, checker, sourceFile);
      if (!specifier) return undefined;
      if (!migrations.has(specifier)) migrations.set(specifier, importMigration(specifier, program, sourceFile));
      return migrations.get(specifier);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && isUse(node)) {
        const found = deprecationAt(node, checker);
        if (found) {
          const reason = reasonOf(found.tag);
          // Deprecated only through the signature a call picks (`const f = obj.old; f()`): the tag is not about the name used.
          const replacement = found.viaSignature ? undefined : replacementNamed(found.tag, checker);
          const keepsUsed = !unusedIsError || !wouldBecomeUnused(node, checker, sourceFile);
          const fix = replacement && keepsUsed ? fixFor(node, found.symbol, replacement, checker, sourceFile) : undefined;
          const migration = found.viaSignature ? undefined : migrationFor(node);
          const fixes = [...(fix ? [fix] : []), ...(migration ? [{ ...migration, isPreferred: !fix }] : [])];
          context.report(node, `\`${node.text}\` is deprecated${reason ? `: ${reason}` : "."}`, fixes);
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

/** The `import { old }` specifier of this file that `node` refers to, if that is how the name got here. */
function importSpecifierOf(node: ts.Identifier, checker: ts.TypeChecker, sourceFile: ts.SourceFile): ts.ImportSpecifier | undefined {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isQualifiedName(parent) && parent.right === node)) return undefined;
  const declaration = checker.getSymbolAtLocation(node)?.declarations?.[0];
  return declaration && ts.isImportSpecifier(declaration) && declaration.getSourceFile() === sourceFile ? declaration : undefined;
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

/**
 * A plain name (`oldFn(x)`, `new Old()`, `let a: Old<T>`) is fixed to the replacement in scope
 * there; a member (`api.oldFn(x)`) to the public member of the receiver's type; a name in a
 * namespace (`ns.Old` as a type) to that namespace's export. The use must take the new name
 * (util/replacementFit.ts): writes, shorthand properties and JSX tags are reported only.
 */
function fixFor(node: ts.Identifier, deprecated: ts.Symbol, replacement: Replacement, checker: ts.TypeChecker, sourceFile: ts.SourceFile): FixBuilder | undefined {
  const parent = node.parent;
  const memberName = replacement.name.slice(replacement.name.lastIndexOf(".") + 1);
  let target: ts.Symbol | undefined;
  let name = replacement.name;
  let shape: ReturnType<typeof shapeOfUse>;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
    if (isWritten(parent)) return undefined;
    name = memberName;
    // A namespace import's members are its module's exports, re-exports being aliases of the declarations.
    target = resolved(checker.getPropertyOfType(checker.getTypeAtLocation(parent.expression), name), checker);
    if (!target || !isPublic(target)) return undefined;
    shape = "value";
  } else if (ts.isQualifiedName(parent) && parent.right === node && ts.isTypeReferenceNode(parent.parent)) {
    name = memberName;
    target = namespaceExport(parent.left, name, checker);
    shape = "type";
  } else {
    shape = shapeOfUse(node);
    if (!shape || name.includes(".")) return undefined;
    target = resolved(checker.resolveName(name, node, shape === "type" ? ts.SymbolFlags.Type : ts.SymbolFlags.Value, false), checker);
  }
  if (!target || deprecationOf(target)) return undefined;
  // A member named in prose (`use send instead`) has no symbol where the tag is written; the receiver's type decides alone.
  if (replacement.symbol ? !sameDeclarations(replacement.symbol, target) : !ts.isPropertyAccessExpression(parent)) return undefined;
  return fitsUse(node, shape, deprecated, target, checker) ? replaceWith(node, name, sourceFile) : undefined;
}

/** `ns.Name` in a type, where `ns` is a module or namespace: its export `name`. */
function namespaceExport(left: ts.EntityName, name: string, checker: ts.TypeChecker): ts.Symbol | undefined {
  const namespace = resolved(checker.getSymbolAtLocation(ts.isIdentifier(left) ? left : left.right), checker);
  if (!namespace || !(namespace.flags & ts.SymbolFlags.Module)) return undefined;
  return resolved(checker.getExportsOfModule(namespace).find((candidate) => candidate.name === name), checker);
}

/** `obj.old = …`, `obj.old++`: a member that is written, which a switch to another member would not keep. */
function isWritten(access: ts.PropertyAccessExpression): boolean {
  let node: ts.Node = access;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) return isAssignmentOperator(parent.operatorToken.kind);
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent) ? isDestructuringLike(parent) : false;
}

/** Inside an object or array literal that is itself an assignment target: conservatively, any literal left of `=` or in a `for … of` head. */
function isDestructuringLike(node: ts.Node): boolean {
  for (let current: ts.Node = node; !ts.isStatement(current) && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return true;
    if ((ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === current) return true;
  }
  return false;
}

function replaceWith(node: ts.Identifier, name: string, sourceFile: ts.SourceFile): FixBuilder {
  return { title: `Use \`${name}\` instead`, isPreferred: true, edits: [{ start: node.getStart(sourceFile), end: node.getEnd(), newText: name }] };
}

function deprecationOf(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) => ts.getJSDocDeprecatedTag(declaration) !== undefined);
}

function isPublic(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).every(
    (declaration) => !(ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !ts.isPrivateIdentifier(ts.getNameOfDeclaration(declaration) ?? declaration),
  );
}
