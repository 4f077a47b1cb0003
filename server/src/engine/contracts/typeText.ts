/**
 * Types written as text for a contract's description, the same on every run and machine.
 *
 * `checker.typeToString` truncates long types and writes a union's members in the order the
 * checker happened to create them (its type ids), which changes with the order files were
 * checked: an editor that type-checked another file first would see `"b" | "a"` where the CLI
 * wrote `"a" | "b"`, and report drift that is not there. The properties of an object type the
 * checker built (`Pick<T, "b" | "a">` written out) come in that order too. So the type is built
 * as a type node, every union in it is sorted by its members' text, the named members of every
 * object type literal by name, and the node is printed.
 */
import * as ts from "typescript";

const builderFlags =
  ts.NodeBuilderFlags.NoTruncation |
  ts.NodeBuilderFlags.IgnoreErrors |
  ts.NodeBuilderFlags.AllowUniqueESSymbolType |
  ts.NodeBuilderFlags.UseAliasDefinedOutsideCurrentScope;

export class TypeText {
  private readonly printer = ts.createPrinter({ removeComments: true, omitTrailingSemicolon: true });

  /** `enclosing`: the entry module; names it can see are written short, others as `import("./x").Name`. */
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly enclosing: ts.SourceFile,
  ) {}

  /** `expandAlias`: write what a type alias stands for rather than its name (the alias's own description). */
  of(type: ts.Type, expandAlias = false): string {
    const node = this.checker.typeToTypeNode(type, this.enclosing, builderFlags | (expandAlias ? ts.NodeBuilderFlags.InTypeAlias : 0));
    if (!node) return this.checker.typeToString(type, this.enclosing, ts.TypeFormatFlags.NoTruncation);
    return this.print(sortUnions(node, (member) => this.print(member), true));
  }

  /** A declared type node as the checker sees it (the form written, not the `undefined` optionality adds). */
  ofNode(node: ts.TypeNode, expandAlias = false): string {
    return this.of(this.checker.getTypeFromTypeNode(node), expandAlias);
  }

  /**
   * A type node as written (unions sorted, comments and layout dropped): what a type alias's
   * description holds, so `Partial<Help>` stays `Partial<Help>` instead of the members of `Help`
   * written out, which would change whenever `Help` does (and `Help` reports its own changes).
   */
  written(node: ts.TypeNode): string {
    // The printer copies a literal's text from the file it is given: the node's own, not the entry.
    const sourceFile = node.getSourceFile();
    return this.print(sortUnions(node, (member) => this.print(member, sourceFile)), sourceFile);
  }

  predicate(predicate: ts.TypePredicate): string {
    return this.checker.typePredicateToString(predicate, this.enclosing, ts.TypeFormatFlags.NoTruncation);
  }

  private print(node: ts.Node, sourceFile: ts.SourceFile = this.enclosing): string {
    return this.printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  }
}

/** `sortMembers`: also sort the named members of object type literals (a type written by the checker, not as declared). */
function sortUnions(root: ts.TypeNode, textOf: (node: ts.TypeNode) => string, sortMembers = false): ts.TypeNode {
  const sorter: ts.TransformerFactory<ts.TypeNode> = (context) => {
    const visit = (node: ts.Node): ts.Node => {
      const visited = ts.visitEachChild(node, visit, context);
      if (sortMembers && ts.isTypeLiteralNode(visited)) return context.factory.updateTypeLiteralNode(visited, context.factory.createNodeArray(sortedMembers(visited.members)));
      if (!ts.isUnionTypeNode(visited)) return visited;
      const members = visited.types.map((member) => ({ member, text: textOf(member) }));
      members.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
      return context.factory.updateUnionTypeNode(visited, context.factory.createNodeArray(members.map(({ member }) => member)));
    };
    return (node) => visit(node) as ts.TypeNode;
  };
  const result = ts.transform(root, [sorter]);
  const [sorted] = result.transformed;
  result.dispose();
  return sorted;
}

/** Signatures and index signatures first, as they were; then properties and methods by name (a method's overloads keep their order). */
function sortedMembers(members: readonly ts.TypeElement[]): ts.TypeElement[] {
  const nameOf = (member: ts.TypeElement) => (member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) || ts.isNumericLiteral(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : undefined);
  const unnamed = members.filter((member) => nameOf(member) === undefined);
  const named = members.filter((member) => nameOf(member) !== undefined);
  const order = (a: ts.TypeElement, b: ts.TypeElement) => {
    const [left, right] = [nameOf(a)!, nameOf(b)!];
    return left < right ? -1 : left > right ? 1 : 0;
  };
  return [...unnamed, ...[...named].sort(order)];
}

/**
 * A declaration as text with its unions and object type literals sorted as `TypeText.of` sorts
 * them: two emits of the same declaration by checkers that created its types in another order
 * read the same. Comments and layout are dropped.
 */
export function sortedDeclarationText(declaration: ts.Statement, sourceFile: ts.SourceFile): string {
  const sorter: ts.TransformerFactory<ts.Node> = (context) => {
    const visit = (node: ts.Node): ts.Node => (ts.isTypeNode(node) ? sortUnions(node, (member) => declarationPrinter.printNode(ts.EmitHint.Unspecified, member, sourceFile), true) : ts.visitEachChild(node, visit, context));
    return (node) => visit(node);
  };
  const result = ts.transform<ts.Node>(declaration, [sorter]);
  const text = declarationPrinter.printNode(ts.EmitHint.Unspecified, result.transformed[0], sourceFile);
  result.dispose();
  return text;
}

const declarationPrinter = ts.createPrinter({ removeComments: true });
