import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { boundNames, isAmbient, isGlobalScriptBinding, isInNamespace } from "./util/bindings";
import { constKeepsTypes } from "./util/constTypes";
import { isWriteReference, referencesTo } from "./util/references";

/**
 * `var` is scoped to the whole function and hoisted to its top, so a name can be used before
 * its line, leaks out of the block it was written in, and is shared by every loop iteration.
 * The fix to `let`/`const` is offered only where none of that is observable: every use sits
 * after the declaration and inside its block, nothing hoisted reaches it early, and no loop
 * closure would start seeing a fresh binding per iteration.
 */
export const noVar: FileRule = {
  meta: {
    id: "no-var",
    description: "Disallow `var`; use `let` or `const`, which are block-scoped and not usable before their declaration.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker } = context;
    if (!checker) return;
    // Direct `eval` and `with` can reach any variable by name at run time: no scoping proof holds.
    const dynamicScope = /\beval\s*\(|\bwith\s*\(/.test(sourceFile.text);
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0 && !isAmbient(node)) {
        const keyword = node.getFirstToken(sourceFile);
        if (keyword) {
          const replacement = dynamicScope ? undefined : safeReplacement(node, sourceFile, checker);
          const fixes: FixBuilder[] = replacement
            ? [{ title: `Declare with \`${replacement}\``, isPreferred: true, edits: [{ start: keyword.getStart(sourceFile), end: keyword.getEnd(), newText: replacement }] }]
            : [];
          context.report(keyword, "Unexpected `var`: it is function-scoped and hoisted. Use `let` or `const`.", fixes);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
};

/** `let` or `const` when the change is invisible, otherwise undefined (report without a fix). */
function safeReplacement(list: ts.VariableDeclarationList, sourceFile: ts.SourceFile, checker: ts.TypeChecker): "let" | "const" | undefined {
  if (isGlobalScriptBinding(list, sourceFile) || isInNamespace(list)) return undefined;
  const scope = blockScopeOf(list);
  if (!scope) return undefined;
  const statement = list.parent;
  if (ts.isVariableStatement(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const inLoop = ts.isIterationStatement(scope, false) || isInsideLoop(list);
  let canBeConst = true;
  for (const declaration of list.declarations) {
    const references: ts.Identifier[] = [];
    for (const name of boundNames(declaration.name)) {
      const symbol = checker.getSymbolAtLocation(name);
      // Declared twice (`var x; var x;`, or a parameter of the same name): `let` would be a redeclaration error.
      if (!symbol || (symbol.declarations?.length ?? 0) !== 1) return undefined;
      if (conflictsInScope(name.text, scope)) return undefined;
      references.push(...referencesTo(symbol, sourceFile, checker));
    }
    // In a loop, `var x;` keeps the previous iteration's value; `let x;` starts at undefined each time.
    if (inLoop && !declaration.initializer && !isForInOfHead(list)) return undefined;
    for (const reference of references) {
      if (!isUsableAfterChange(reference, declaration, scope, inLoop)) return undefined;
    }
    const hasValue = declaration.initializer !== undefined || isForInOfHead(list);
    if (!hasValue || references.some(isWriteReference) || !constKeepsTypes(declaration, references, checker)) canBeConst = false;
  }
  return canBeConst ? "const" : "let";
}

/** The block `let` would be scoped to, or undefined where a `let` is not allowed (`if (a) var x = 1;`). */
function blockScopeOf(list: ts.VariableDeclarationList): ts.Node | undefined {
  const parent = list.parent;
  if (ts.isForStatement(parent) || ts.isForInStatement(parent) || ts.isForOfStatement(parent)) return parent;
  if (!ts.isVariableStatement(parent)) return undefined;
  const container = parent.parent;
  if (ts.isBlock(container) || ts.isSourceFile(container)) return container;
  // Every clause of a switch shares one scope, but a clause may run without the one declaring the name.
  if (ts.isCaseClause(container) || ts.isDefaultClause(container)) return container;
  return undefined;
}

function isForInOfHead(list: ts.VariableDeclarationList): boolean {
  return ts.isForInStatement(list.parent) || ts.isForOfStatement(list.parent);
}

function isInsideLoop(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current) && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
  }
  return false;
}

/** `catch (e) { var e = 1; }` is legal, `catch (e) { let e = 1; }` is not. */
function conflictsInScope(name: string, scope: ts.Node): boolean {
  const catchClause = scope.parent;
  return ts.isBlock(scope) && catchClause !== undefined && ts.isCatchClause(catchClause) && catchClause.variableDeclaration !== undefined && ts.isIdentifier(catchClause.variableDeclaration.name) && catchClause.variableDeclaration.name.text === name;
}

/** A use that behaves the same with `let`: inside the block, after the declaration, not reachable early through a hoisted function, not a per-iteration capture. */
function isUsableAfterChange(reference: ts.Identifier, declaration: ts.VariableDeclaration, scope: ts.Node, inLoop: boolean): boolean {
  // `export { x }` hands the binding to importers, which may read it before this module ran (cycles).
  if (ts.isExportSpecifier(reference.parent)) return false;
  const position = reference.getStart();
  if (position < scope.getStart() || position > scope.getEnd()) return false;
  const scopeStatement = declaration.parent.parent;
  if ((ts.isForInStatement(scopeStatement) || ts.isForOfStatement(scopeStatement)) && scopeStatement === scope) {
    // `for (let x of f(x))` evaluates f(x) with x in its temporal dead zone.
    if (position < scopeStatement.statement.getStart()) return false;
  } else if (position < declaration.getEnd()) {
    return false;
  }
  for (let current: ts.Node = reference.parent; current !== scope; current = current.parent) {
    // Class field initializers run later too, when an instance is made: a closure in all but name.
    if (!ts.isFunctionLike(current) && !ts.isClassStaticBlockDeclaration(current) && !ts.isPropertyDeclaration(current)) continue;
    // A closure in a loop would capture one binding per iteration instead of the shared one.
    if (inLoop) return false;
    // A hoisted function can run before the declaration when the block it is hoisted in starts before it.
    if (ts.isFunctionDeclaration(current) && current.parent.getStart() < declaration.getEnd()) return false;
  }
  return true;
}
