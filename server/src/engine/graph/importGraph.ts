import * as ts from "typescript";
import type { Range } from "../findings";
import { rangeOf } from "../text";

/** One static import of a workspace file by another. */
export interface ImportEdge {
  from: string;
  to: string;
  /** The module specifier's range in `from`, where a finding about this edge points. */
  range: Range;
  specifier: string;
  /** `import type` and friends are erased at run time, so they cannot form an initialization cycle. */
  typeOnly: boolean;
}

/**
 * The workspace's module graph: kept per file so that an edit replaces only that file's
 * outgoing edges, and the reverse edges answer "who is affected if this file changes".
 */
export class ImportGraph {
  private readonly outgoing = new Map<string, ImportEdge[]>();
  private readonly incoming = new Map<string, Set<string>>();

  setImports(file: string, edges: ImportEdge[]): void {
    this.removeFile(file);
    this.outgoing.set(file, edges);
    for (const edge of edges) {
      let importers = this.incoming.get(edge.to);
      if (!importers) this.incoming.set(edge.to, (importers = new Set()));
      importers.add(file);
    }
  }

  removeFile(file: string): void {
    for (const edge of this.outgoing.get(file) ?? []) this.incoming.get(edge.to)?.delete(file);
    this.outgoing.delete(file);
  }

  files(): IterableIterator<string> {
    return this.outgoing.keys();
  }

  importsOf(file: string): readonly ImportEdge[] {
    return this.outgoing.get(file) ?? [];
  }

  importersOf(file: string): ReadonlySet<string> {
    return this.incoming.get(file) ?? new Set();
  }

  /** Every file that imports `file`, directly or through others, nearest first. */
  transitiveImporters(file: string): string[] {
    const seen = new Set<string>([file]);
    const order: string[] = [];
    const queue = [file];
    for (let index = 0; index < queue.length; index++) {
      for (const importer of this.importersOf(queue[index])) {
        if (seen.has(importer)) continue;
        seen.add(importer);
        order.push(importer);
        queue.push(importer);
      }
    }
    return order;
  }
}

/**
 * Static imports, re-exports and top-level `require` calls of a file. Dynamic `import()` is
 * left out on purpose: it runs after the module graph has initialized, so it cannot cycle.
 */
export function collectImports(sourceFile: ts.SourceFile, resolve: (specifier: string) => string | undefined): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (literal: ts.StringLiteralLike, typeOnly: boolean) => {
    const to = resolve(literal.text);
    if (to === undefined) return;
    edges.push({ from: sourceFile.fileName, to, range: rangeOf(sourceFile, literal.getStart(sourceFile), literal.getEnd()), specifier: literal.text, typeOnly });
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      add(statement.moduleSpecifier, isTypeOnlyImport(statement));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      add(statement.moduleSpecifier, statement.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const expression = statement.moduleReference.expression;
      if (ts.isStringLiteralLike(expression)) add(expression, statement.isTypeOnly);
    } else {
      const literal = topLevelRequire(statement);
      if (literal) add(literal, false);
    }
  }
  return edges;
}

function isTypeOnlyImport(declaration: ts.ImportDeclaration): boolean {
  const clause = declaration.importClause;
  if (!clause) return false; // `import "./side-effect"` runs the module.
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** `const x = require("./x")` or `require("./x")` at the top of a CommonJS file. */
function topLevelRequire(statement: ts.Statement): ts.StringLiteralLike | undefined {
  let expression: ts.Expression | undefined;
  if (ts.isExpressionStatement(statement)) expression = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
    expression = statement.declarationList.declarations[0].initializer;
  }
  while (expression && ts.isPropertyAccessExpression(expression)) expression = expression.expression;
  if (!expression || !ts.isCallExpression(expression)) return undefined;
  if (!ts.isIdentifier(expression.expression) || expression.expression.text !== "require") return undefined;
  const [argument] = expression.arguments;
  return argument && ts.isStringLiteralLike(argument) ? argument : undefined;
}
