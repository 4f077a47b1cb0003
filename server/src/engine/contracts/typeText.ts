/**
 * Types written as text for a contract's description, the same on every run and machine.
 *
 * `checker.typeToString` truncates long types and writes a union's members in the order the
 * checker happened to create them (its type ids), which changes with the order files were
 * checked: an editor that type-checked another file first would see `"b" | "a"` where the CLI
 * wrote `"a" | "b"`, and report drift that is not there. So the type is built as a type node,
 * every union in it is sorted by its members' text, and the node is printed.
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
    return this.print(sortUnions(node, (member) => this.print(member)));
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
    return this.print(sortUnions(node, (member) => this.print(member)));
  }

  predicate(predicate: ts.TypePredicate): string {
    return this.checker.typePredicateToString(predicate, this.enclosing, ts.TypeFormatFlags.NoTruncation);
  }

  private print(node: ts.Node): string {
    return this.printer.printNode(ts.EmitHint.Unspecified, node, this.enclosing);
  }
}

function sortUnions(root: ts.TypeNode, textOf: (node: ts.TypeNode) => string): ts.TypeNode {
  const sorter: ts.TransformerFactory<ts.TypeNode> = (context) => {
    const visit = (node: ts.Node): ts.Node => {
      const visited = ts.visitEachChild(node, visit, context);
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
