import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { commentDirectives, isGovernedByDirective, type CommentDirective } from "./util/directives";
import { keepsSurroundingSyntax, removalSpan, type Edit } from "./util/edits";
import { isWriteReference, referencesTo, symbolOfReference } from "./util/references";
import { isTestFile } from "./util/testFiles";

/**
 * `console.log` left in production code is debugging output nobody reads, or logging that
 * bypasses the project's logger (levels, structure, redaction). Test files are exempt. The fix
 * removes the statement, and is offered only when nothing but the output goes away: its
 * arguments have no side effects and cannot throw, and the code around it parses the same.
 * Type-aware, because only the checker knows whether `console` is the global one here.
 */
export const consoleCall: FileRule = {
  meta: {
    id: "console-call",
    description: "Disallow `console.*` calls outside test files; use the project's logger.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker, program } = context;
    if (!checker || isTestFile(sourceFile.fileName, program?.getCurrentDirectory())) return;
    const calls: Array<{ call: ts.CallExpression; callee: ts.Expression; method: string }> = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const method = consoleMethod(node.expression, checker);
        if (method !== undefined) calls.push({ call: node, callee: node.expression, method });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (calls.length === 0) return;
    const options = program?.getCompilerOptions() ?? {};
    const fixer = new RemovalFixer(sourceFile, checker, commentDirectives(sourceFile), calls.map(({ call }) => call), options.noUnusedLocals === true || options.noUnusedParameters === true);
    for (const { call, callee, method } of calls) {
      const fix = fixer.fixFor(call);
      context.report(callee, `Unexpected \`console.${method}\`: use the project's logger, or remove this output.`, fix ? [{ ...fix, title: `Remove the \`console.${method}\` call` }] : []);
    }
  },
};

/** `console.log` / `console["log"]` / `console?.log` on the global console, as the method name. */
function consoleMethod(callee: ts.Expression, checker: ts.TypeChecker): string | undefined {
  let name: string | undefined;
  let receiver: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) [receiver, name] = [callee.expression, callee.name.text];
  else if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) [receiver, name] = [callee.expression, callee.argumentExpression.text];
  if (!receiver || !ts.isIdentifier(receiver) || receiver.text !== "console") return undefined;
  const symbol = checker.getSymbolAtLocation(receiver);
  // Unresolved (no lib declares it) is still the global at run time; a local `const console = logger` is not.
  const isGlobal = !symbol || (symbol.declarations ?? []).every((declaration) => declaration.getSourceFile().isDeclarationFile);
  return isGlobal ? name : undefined;
}

class RemovalFixer {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
    private readonly directives: readonly CommentDirective[],
    private readonly consoleCalls: readonly ts.CallExpression[],
    /** noUnusedLocals/Parameters: removing the last read of a variable would add an error. */
    private readonly unusedIsError: boolean,
  ) {}

  fixFor(call: ts.CallExpression): Omit<FixBuilder, "title"> | undefined {
    const statement = call.parent;
    if (!ts.isExpressionStatement(statement) || statement.expression !== call) return undefined;
    if (!call.arguments.every((argument) => this.isInert(argument))) return undefined;
    const { sourceFile } = this;
    const line = sourceFile.getLineAndCharacterOfPosition(statement.getStart(sourceFile)).line;
    if (isGovernedByDirective(sourceFile, this.directives, line)) return undefined;
    const edit = this.editFor(statement);
    if (!edit || !keepsSurroundingSyntax(sourceFile, [edit])) return undefined;
    return { isPreferred: true, edits: [edit] };
  }

  /** Delete the statement from a statement list; where it is the whole body of an `if` or loop, leave `{}`. */
  private editFor(statement: ts.ExpressionStatement): Edit | undefined {
    const parent = statement.parent;
    const span = { start: statement.getStart(this.sourceFile), end: statement.getEnd() };
    if (!(ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseOrDefaultClause(parent))) return { ...span, newText: "{}" };
    // A string statement that moves up into the directive prologue would become a directive ("use strict").
    const siblings = parent.statements;
    const next = siblings[siblings.indexOf(statement) + 1];
    if (next && ts.isExpressionStatement(next) && ts.isStringLiteral(next.expression)) return undefined;
    return { ...removalSpan(this.sourceFile.text, span), newText: "" };
  }

  /** Evaluating it has no effect and cannot throw: literals, plain reads of initialized bindings, and literals built from those. */
  private isInert(node: ts.Expression): boolean {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node)) {
      return this.isInert(node.expression);
    }
    if (ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isRegularExpressionLiteral(node)) return true;
    if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword) return true;
    if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) return ts.isNumericLiteral(node.operand) || ts.isBigIntLiteral(node.operand);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return true;
    if (ts.isIdentifier(node)) return this.isInertRead(node);
    if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => this.isInert(span.expression) && this.convertsSilently(span.expression));
    if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => ts.isOmittedExpression(element) || (!ts.isSpreadElement(element) && this.isInert(element)));
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.every((property) => {
        if (ts.isShorthandPropertyAssignment(property)) return !property.objectAssignmentInitializer && this.isInertRead(property.name);
        return ts.isPropertyAssignment(property) && !ts.isComputedPropertyName(property.name) && this.isInert(property.initializer);
      });
    }
    return false;
  }

  /**
   * Reading a binding: safe when it is declared in this file or imported, initialized before this
   * point (no temporal dead zone), and, under noUnused*, read somewhere else too. Globals are not
   * (`document` may be a getter); `undefined`, `NaN` and `Infinity` are constants.
   */
  private isInertRead(identifier: ts.Identifier): boolean {
    const symbol = symbolOfReference(identifier, this.checker);
    if (!symbol) return false;
    const declarations = symbol.declarations ?? [];
    if (declarations.length > 0 && declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile)) {
      return ["undefined", "NaN", "Infinity"].includes(identifier.text);
    }
    if (declarations.length === 0 || declarations.some((declaration) => declaration.getSourceFile() !== this.sourceFile)) return false;
    if (declarations.some((declaration) => mayBeUninitialized(declaration, identifier))) return false;
    if (this.unusedIsError && !this.isReadElsewhere(symbol)) return false;
    return true;
  }

  /** Another read of the symbol that no console-call removal can take away. */
  private isReadElsewhere(symbol: ts.Symbol): boolean {
    const ownDeclarations = symbol.declarations ?? [];
    return referencesTo(symbol, this.sourceFile, this.checker).some(
      (reference) =>
        !isWriteReference(reference) &&
        !this.consoleCalls.some((call) => isInside(reference, call)) &&
        !ownDeclarations.some((declaration) => isInside(reference, declaration)),
    );
  }

  /** `${x}` calls x's toString when x is an object, and throws for a symbol: only primitives convert silently. */
  private convertsSilently(expression: ts.Expression): boolean {
    const type = this.checker.getTypeAtLocation(expression);
    const parts = type.isUnion() ? type.types : [type];
    const primitive = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined;
    return parts.every((part) => (part.flags & primitive) !== 0);
  }
}

/**
 * Whether reading the binding here might throw: a `let`/`const`/class declared later in the
 * code, or an import (a module cycle can leave it uninitialized while this module runs).
 */
function mayBeUninitialized(declaration: ts.Declaration, reference: ts.Node): boolean {
  if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration) || ts.isNamespaceImport(declaration) || ts.isImportEqualsDeclaration(declaration)) {
    return ts.findAncestor(reference, ts.isFunctionLike) === undefined;
  }
  const blockScoped =
    ts.isClassDeclaration(declaration) ||
    ts.isEnumDeclaration(declaration) ||
    ((ts.isVariableDeclaration(declaration) || ts.isBindingElement(declaration)) && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.BlockScoped) !== 0);
  return blockScoped && declaration.getEnd() > reference.getStart();
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.getEnd() <= container.getEnd();
}
