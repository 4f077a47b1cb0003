import * as ts from "typescript";

/**
 * Finding the uses of a local binding with the checker instead of by name: shadowing,
 * `export { x }`, `{ x }` shorthands and `import x` aliases all resolve to the right symbol.
 */

/** The symbol an identifier stands for as a *value or type reference*, seen from where it is written. */
export function symbolOfReference(identifier: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  const parent = identifier.parent;
  // `{ x }` names both a property and the variable x; the variable is the one referenced.
  if (ts.isShorthandPropertyAssignment(parent) && parent.name === identifier) return checker.getShorthandAssignmentValueSymbol(parent);
  // `export { x }` and `export { x as y }` (without `from`) refer to the local x.
  if (ts.isExportSpecifier(parent) && !parent.parent.parent.moduleSpecifier && (parent.propertyName ?? parent.name) === identifier) {
    return checker.getExportSpecifierLocalTargetSymbol(parent);
  }
  return checker.getSymbolAtLocation(identifier);
}

/** Every identifier in the file that refers to `symbol`, declarations excluded. */
export function referencesTo(symbol: ts.Symbol, sourceFile: ts.SourceFile, checker: ts.TypeChecker): ts.Identifier[] {
  const declarationNames = new Set((symbol.declarations ?? []).map((declaration) => ts.getNameOfDeclaration(declaration)));
  return identifiersNamed(sourceFile, symbol.name).filter((node) => !declarationNames.has(node) && symbolOfReference(node, checker) === symbol);
}

/**
 * The file's identifiers grouped by text, built once per parsed file: rules ask for the
 * references of every `let`, `var` and import, and a walk of the whole file each time would
 * make that quadratic in the file's size.
 */
const identifierIndex = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();

export function identifiersNamed(sourceFile: ts.SourceFile, name: string): readonly ts.Identifier[] {
  return identifiersByName(sourceFile).get(name) ?? [];
}

function identifiersByName(sourceFile: ts.SourceFile): Map<string, ts.Identifier[]> {
  let index = identifierIndex.get(sourceFile);
  if (!index) {
    const built = new Map<string, ts.Identifier[]>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const list = built.get(node.text);
        if (list) list.push(node);
        else built.set(node.text, [node]);
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    identifierIndex.set(sourceFile, (index = built));
  }
  return index;
}

/** Whether the identifier is assigned here: `x = …`, `x += …`, `x++`, `for (x of …)`, destructuring targets. */
export function isWriteReference(identifier: ts.Identifier): boolean {
  let node: ts.Node = identifier;
  // `(x) = 1`, `x! = 1`, `(x as T) = 1`: the assignment target is the identifier underneath.
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isTypeAssertionExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) {
    node = node.parent;
  }
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) return isAssignmentOperator(parent.operatorToken.kind);
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  if ((ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === node) return true;
  return isDestructuringTarget(node);
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `[x] = …`, `({ x } = …)`, `({ a: x } = …)`, `[...x] = …`, `for ([x] of …)`, nested to any depth. */
function isDestructuringTarget(node: ts.Node): boolean {
  let current = node;
  for (;;) {
    const parent = current.parent;
    if ((ts.isShorthandPropertyAssignment(parent) && parent.name === current) || (ts.isPropertyAssignment(parent) && parent.initializer === current)) current = parent.parent;
    else if (ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) current = parent.parent;
    else if (ts.isArrayLiteralExpression(parent)) current = parent;
    else return false;
    while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
    const outer = current.parent;
    // Any literal left of `=` is a pattern, including a default inside an outer pattern: `[{ x } = {}] = …`.
    if (ts.isBinaryExpression(outer) && outer.left === current && outer.operatorToken.kind === ts.SyntaxKind.EqualsToken) return true;
    if ((ts.isForInStatement(outer) || ts.isForOfStatement(outer)) && outer.initializer === current) return true;
  }
}
