/**
 * Whether type text taken from elsewhere (a baseline's declaration, a member's type) can be
 * written into a file: every name it refers to must resolve there. What it resolves to is the
 * checker's business once the text is in; a name that does not resolve is a sure compile error.
 */
import * as ts from "typescript";

/** A type written as text, parsed on its own; undefined when it is not one type. */
export function parseTypeText(text: string): ts.TypeNode | undefined {
  const sourceFile = ts.createSourceFile("type.ts", `type __T = ${text};`, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const [statement, ...rest] = sourceFile.statements;
  if (rest.length > 0 || !statement || !ts.isTypeAliasDeclaration(statement) || hasParseErrors(sourceFile)) return undefined;
  return statement.type;
}

/** TypeScript keeps syntax errors on the source file without a public accessor; a recovered parse would hide them. */
export function hasParseErrors(sourceFile: ts.SourceFile): boolean {
  return ((sourceFile as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.length ?? 0) > 0;
}

/**
 * Every name `node` refers to (type references, `typeof` queries, base types, computed keys)
 * resolves at `location`, except the type parameters `node` declares and `ownNames` (what the
 * inserted text itself declares). An `import("…")` type never counts as resolving: its path is
 * relative to a file that is not this one.
 */
export function namesResolveAt(node: ts.Node, location: ts.Node, checker: ts.TypeChecker, ownNames: ReadonlySet<string> = new Set()): boolean {
  const declared = new Set(ownNames);
  const collect = (child: ts.Node): void => {
    if (ts.isTypeParameterDeclaration(child)) declared.add(child.name.text);
    ts.forEachChild(child, collect);
  };
  collect(node);
  const resolves = (name: ts.EntityName | ts.Expression, meaning: ts.SymbolFlags): boolean => {
    const leftmost = leftmostIdentifier(name);
    if (!leftmost) return false;
    if (declared.has(leftmost.text)) return true;
    const qualified = leftmost !== name;
    return checker.resolveName(leftmost.text, location, qualified ? ts.SymbolFlags.Namespace | ts.SymbolFlags.Value : meaning, false) !== undefined;
  };
  let ok = true;
  const visit = (child: ts.Node): void => {
    if (!ok) return;
    if (ts.isImportTypeNode(child)) ok = false;
    else if (ts.isTypeReferenceNode(child)) ok = resolves(child.typeName, ts.SymbolFlags.Type);
    else if (ts.isExpressionWithTypeArguments(child)) ok = resolves(child.expression, ts.SymbolFlags.Type | ts.SymbolFlags.Value);
    else if (ts.isTypeQueryNode(child)) ok = resolves(child.exprName, ts.SymbolFlags.Value);
    else if (ts.isComputedPropertyName(child)) ok = resolves(child.expression, ts.SymbolFlags.Value);
    if (ok) ts.forEachChild(child, visit);
  };
  visit(node);
  return ok;
}

function leftmostIdentifier(name: ts.EntityName | ts.Expression): ts.Identifier | undefined {
  let current: ts.Node = name;
  for (;;) {
    if (ts.isIdentifier(current)) return current;
    if (ts.isQualifiedName(current)) current = current.left;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else return undefined;
  }
}
