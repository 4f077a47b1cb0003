import * as ts from "typescript";

/** The identifiers a declaration binds: `x`, or every name inside `{ a, b: [c, ...d] }`. */
export function boundNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : boundNames(element.name)));
}

/** `declare let`, declarations in `.d.ts` files, `declare global { … }`, `declare module "m" { … }`. */
export function isAmbient(node: ts.Node): boolean {
  if (node.getSourceFile().isDeclarationFile) return true;
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.canHaveModifiers(current) && ts.getModifiers(current)?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  }
  return false;
}

/** A top-level binding of a script (no import/export) is global: other files can read and write it. */
export function isGlobalScriptBinding(list: ts.VariableDeclarationList, sourceFile: ts.SourceFile): boolean {
  return ts.isVariableStatement(list.parent) && ts.isSourceFile(list.parent.parent) && !ts.isExternalModule(sourceFile);
}

/** Inside `namespace N { … }`: an exported binding there is a property others can assign (`N.x = 1`). */
export function isInNamespace(list: ts.VariableDeclarationList): boolean {
  return ts.isVariableStatement(list.parent) && ts.isModuleBlock(list.parent.parent);
}
