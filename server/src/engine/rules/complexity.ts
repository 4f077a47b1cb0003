import * as ts from "typescript";
import type { FileRule } from "./rule";

export const defaultMaxCyclomatic = 10;
export const defaultMaxNesting = 4;

type FunctionUnit = ts.FunctionLikeDeclaration | ts.ClassStaticBlockDeclaration;

/**
 * Functions with many paths through them are hard to test (each path wants a case) and hard to
 * change safely; deep nesting hides which branch a line belongs to. Thresholds are the options
 * `maxCyclomatic` and `maxNesting` (settings), each function is measured on its own: a callback
 * inside a function does not add to the function's score.
 */
export const complexity: FileRule = {
  meta: {
    id: "complexity",
    description: "Report functions over a cyclomatic-complexity or nesting-depth threshold (options `maxCyclomatic`, `maxNesting`).",
    defaultSeverity: "warning",
    typeAware: false,
    fixable: false,
    scope: "file",
  },
  check(context) {
    const maxCyclomatic = threshold(context.options.maxCyclomatic, defaultMaxCyclomatic);
    const maxNesting = threshold(context.options.maxNesting, defaultMaxNesting);
    const visit = (node: ts.Node): void => {
      if (isFunctionUnit(node) && node.body) {
        const { cyclomatic, nesting } = measure(node.body);
        const problems: string[] = [];
        if (cyclomatic > maxCyclomatic) problems.push(`a cyclomatic complexity of ${cyclomatic} (maximum ${maxCyclomatic})`);
        if (nesting > maxNesting) problems.push(`control flow nested ${nesting} deep (maximum ${maxNesting})`);
        if (problems.length > 0) {
          const { label, node: at } = describe(node, context.sourceFile);
          context.report(at, `${label} has ${problems.join(" and ")}. Split it into smaller functions.`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(context.sourceFile);
  },
};

/** A usable threshold is a whole number ≥ 1; anything else (a typo in settings) keeps the default. */
function threshold(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : fallback;
}

function isFunctionUnit(node: ts.Node): node is FunctionUnit {
  return (ts.isFunctionLike(node) && "body" in node) || ts.isClassStaticBlockDeclaration(node);
}

/** McCabe's count (1 + decision points) and the deepest nesting of control statements, in one walk. */
function measure(body: ts.Node): { cyclomatic: number; nesting: number } {
  let cyclomatic = 1;
  let nesting = 0;
  const walk = (node: ts.Node, depth: number): void => {
    // Nested functions and classes are measured on their own.
    if (isFunctionUnit(node) || ts.isClassLike(node)) return;
    if (isDecision(node)) cyclomatic++;
    let childDepth = depth;
    if (nestsControlFlow(node)) {
      childDepth = depth + 1;
      nesting = Math.max(nesting, childDepth);
    }
    ts.forEachChild(node, (child) => walk(child, ts.isIfStatement(child) && ts.isIfStatement(node) && node.elseStatement === child ? depth : childDepth));
  };
  walk(body, 0);
  return { cyclomatic, nesting };
}

function isDecision(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.ConditionalExpression:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.CatchClause:
    case ts.SyntaxKind.CaseClause:
      return true;
    case ts.SyntaxKind.BinaryExpression:
      return shortCircuits.has((node as ts.BinaryExpression).operatorToken.kind);
    default:
      return false;
  }
}

const shortCircuits = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/**
 * The statements that open a level of nesting (ESLint's `max-depth` set). An `else if` is
 * handled by the caller: it continues a chain, it does not nest.
 */
function nestsControlFlow(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.SwitchStatement:
    case ts.SyntaxKind.TryStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WithStatement:
      return true;
    default:
      return false;
  }
}

/** What to call the function in the message, and where to put the finding: its name, or the first token. */
function describe(node: FunctionUnit, sourceFile: ts.SourceFile): { label: string; node: ts.Node } {
  if (ts.isClassStaticBlockDeclaration(node)) return { label: "This static block", node: node.getFirstToken(sourceFile) ?? node };
  if (ts.isConstructorDeclaration(node)) return { label: "This constructor", node: node.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.ConstructorKeyword) ?? node };
  const name = node.name ?? nameFromParent(node);
  if (name) return { label: `\`${name.getText(sourceFile)}\``, node: name };
  return { label: "This function", node: ts.isArrowFunction(node) ? node.equalsGreaterThanToken : (node.getFirstToken(sourceFile) ?? node) };
}

/** `const run = () => …`, `{ run: function () … }`, `run = () => …` in a class: the name it is known by. */
function nameFromParent(node: ts.Node): ts.Node | undefined {
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) return parent.name;
  return undefined;
}
