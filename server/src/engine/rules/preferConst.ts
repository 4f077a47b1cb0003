import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { boundNames, isAmbient, isGlobalScriptBinding, isInNamespace } from "./util/bindings";
import { constKeepsTypes } from "./util/constTypes";
import { isWriteReference, referencesTo } from "./util/references";

/**
 * A `let` that is never reassigned makes every reader check whether it is; `const` answers the
 * question in the declaration. Type-aware because "never reassigned" means no write to *this*
 * binding anywhere, which takes the checker's scope resolution (shadowing, closures).
 */
export const preferConst: FileRule = {
  meta: {
    id: "prefer-const",
    description: "Use `const` for `let` declarations whose bindings are never reassigned.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker } = context;
    if (!checker) return;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclarationList(node) && isPlainLet(node)) checkList(node);
      ts.forEachChild(node, visit);
    };
    const checkList = (list: ts.VariableDeclarationList): void => {
      if (isAmbient(list) || isGlobalScriptBinding(list, sourceFile) || isInNamespace(list)) return;
      const inForInOf = ts.isForInStatement(list.parent) || ts.isForOfStatement(list.parent);
      // `let x;` assigned later would need the two merged into one statement: not a mechanical change.
      if (!inForInOf && list.declarations.some((declaration) => !declaration.initializer)) return;
      const referencesByDeclaration = list.declarations.map((declaration) =>
        boundNames(declaration.name).flatMap((name) => {
          const symbol = checker.getSymbolAtLocation(name);
          return symbol ? referencesTo(symbol, sourceFile, checker) : [];
        }),
      );
      if (referencesByDeclaration.some((references) => references.some(isWriteReference))) return;
      const keyword = list.getFirstToken(sourceFile);
      if (!keyword) return;
      const names = list.declarations.flatMap((declaration) => boundNames(declaration.name).map((name) => `\`${name.text}\``));
      const safe = list.declarations.every((declaration, index) => constKeepsTypes(declaration, referencesByDeclaration[index], checker));
      const fixes: FixBuilder[] = safe ? [{ title: "Declare with `const`", isPreferred: true, edits: [{ start: keyword.getStart(sourceFile), end: keyword.getEnd(), newText: "const" }] }] : [];
      const subject = names.length === 1 ? `${names[0]} is` : `${names.join(", ")} are`;
      context.report(keyword, `${subject} never reassigned: declare with \`const\`.`, fixes);
    };
    visit(sourceFile);
  },
};

function isPlainLet(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.Let;
}
