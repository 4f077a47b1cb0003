import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";

/**
 * `==` converts its operands before comparing (`"" == 0`, `"1" == 1`, `null == undefined`), so
 * the result depends on run-time types the reader has to work out. `x == null` is the one
 * idiom kept: it means "null or undefined" on purpose. The fix to `===` is offered only where
 * the checker proves both operands can never be of types that `==` would convert.
 */
export const looseEquality: FileRule = {
  meta: {
    id: "loose-equality",
    description: "Require `===` and `!==`; `x == null` (null or undefined) is allowed.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker, program } = context;
    if (!checker) return;
    // Without strictNullChecks, `string` may hold null or undefined: no pair of types is provably safe.
    const options = program?.getCompilerOptions() ?? {};
    const typesAreSound = options.strictNullChecks ?? options.strict ?? false;
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && isLoose(node.operatorToken.kind) && !isNullLiteral(node.left) && !isNullLiteral(node.right)) {
        const strict = node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken ? "===" : "!==";
        const loose = node.operatorToken.getText(sourceFile);
        const safe = typesAreSound && comparesAlike(checker.getTypeAtLocation(node.left), checker.getTypeAtLocation(node.right), checker);
        const fixes: FixBuilder[] = safe
          ? [{ title: `Use \`${strict}\``, isPreferred: true, edits: [{ start: node.operatorToken.getStart(sourceFile), end: node.operatorToken.getEnd(), newText: strict }] }]
          : [];
        context.report(node.operatorToken, `Use \`${strict}\` instead of \`${loose}\`: \`${loose}\` converts its operands before comparing.`, fixes);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  },
};

function isLoose(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

function isNullLiteral(node: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node.kind === ts.SyntaxKind.NullKeyword;
}

type Category = "string" | "number" | "bigint" | "boolean" | "symbol";

/**
 * `a == b` and `a === b` agree exactly when no conversion can happen: both values of the same
 * primitive kind, or one of them nullish and the other not able to be the *other* nullish
 * value (`null == undefined` is the only nullish pair `==` equates).
 */
function comparesAlike(left: ts.Type, right: ts.Type, checker: ts.TypeChecker): boolean {
  const a = describeType(left, checker);
  const b = describeType(right, checker);
  if (!a || !b) return false;
  if ((a.null && b.undefined) || (a.undefined && b.null)) return false;
  if (a.categories.size === 0 || b.categories.size === 0) return true;
  if (a.categories.size !== 1 || b.categories.size !== 1) return false;
  return [...a.categories][0] === [...b.categories][0];
}

interface TypeShape {
  categories: Set<Category>;
  null: boolean;
  undefined: boolean;
}

/** The primitive kinds a type's values can have, or undefined when a value could be an object (or anything). */
function describeType(type: ts.Type, checker: ts.TypeChecker): TypeShape | undefined {
  const shape: TypeShape = { categories: new Set(), null: false, undefined: false };
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    if (part.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(part);
      if (!constraint || constraint === part) return undefined;
      const inner = describeType(constraint, checker);
      if (!inner) return undefined;
      inner.categories.forEach((category) => shape.categories.add(category));
      shape.null ||= inner.null;
      shape.undefined ||= inner.undefined;
      continue;
    }
    const category = categoryOf(part);
    if (category) shape.categories.add(category);
    else if (part.flags & ts.TypeFlags.Null) shape.null = true;
    else if (part.flags & ts.TypeFlags.Undefined) shape.undefined = true;
    else if (!(part.flags & ts.TypeFlags.Never)) return undefined;
  }
  return shape;
}

/** `void` is not here on purpose: a `() => void` may return anything. */
function categoryOf(type: ts.Type): Category | undefined {
  // A branded primitive (`string & { __brand: "Id" }`) is that primitive at run time.
  if (type.isIntersection()) {
    const categories = new Set(type.types.map(categoryOf).filter((category) => category !== undefined));
    return categories.size === 1 ? [...categories][0] : undefined;
  }
  const flags = type.flags;
  if (flags & ts.TypeFlags.StringLike) return "string";
  if (flags & ts.TypeFlags.NumberLike) return "number";
  if (flags & ts.TypeFlags.BigIntLike) return "bigint";
  if (flags & ts.TypeFlags.BooleanLike) return "boolean";
  if (flags & ts.TypeFlags.ESSymbolLike) return "symbol";
  return undefined;
}
