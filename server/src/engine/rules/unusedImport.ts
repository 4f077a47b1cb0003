import * as ts from "typescript";
import type { FileRule, FixBuilder } from "./rule";
import { commentDirectives, isGovernedByDirective, type CommentDirective } from "./util/directives";
import { keepsSurroundingSyntax, removalSpan, type Edit } from "./util/edits";
import { identifiersNamed, referencesTo } from "./util/references";

interface Binding {
  name: ts.Identifier;
  kind: "default" | "namespace" | "named" | "equals";
  used: boolean;
}

type ImportStatement = ts.ImportDeclaration | ts.ImportEqualsDeclaration;

/**
 * An import nobody uses is noise at best, and at worst keeps a dependency (and its load-time
 * side effects, in JavaScript) alive. Type-aware: "used" means some identifier resolves to the
 * import, which only the checker knows through shadowing, `export { x }`, JSX and decorators.
 * Side-effect imports (`import "./polyfill"`) have no names and are never reported.
 */
export const unusedImport: FileRule = {
  meta: {
    id: "unused-import",
    description: "Disallow imported names that are never used; side-effect imports (`import \"x\"`) are kept.",
    defaultSeverity: "warning",
    typeAware: true,
    fixable: true,
    scope: "file",
  },
  check(context) {
    const { sourceFile, checker, program } = context;
    if (!checker) return;
    const usage = new Usage(sourceFile, checker, program?.getCompilerOptions() ?? {});
    const imports = sourceFile.statements.filter((statement): statement is ImportStatement => ts.isImportDeclaration(statement) || (ts.isImportEqualsDeclaration(statement) && !hasExport(statement)));
    const analyzed = imports.map((statement) => ({ statement, bindings: bindingsOf(statement).map((binding) => ({ ...binding, used: usage.isUsed(binding.name) })) }));
    const fixer = new Fixer(sourceFile, program?.getCompilerOptions() ?? {}, analyzed);
    for (const { statement, bindings } of analyzed) {
      for (const binding of bindings) {
        if (binding.used) continue;
        const fix = fixer.fixFor(statement, bindings, binding);
        context.report(binding.name, `\`${binding.name.text}\` is imported but never used.`, fix ? [fix] : []);
      }
    }
  },
};

function hasExport(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

function bindingsOf(statement: ImportStatement): Array<Omit<Binding, "used">> {
  if (ts.isImportEqualsDeclaration(statement)) return [{ name: statement.name, kind: "equals" }];
  const clause = statement.importClause;
  if (!clause) return [];
  const bindings: Array<Omit<Binding, "used">> = clause.name ? [{ name: clause.name, kind: "default" }] : [];
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) bindings.push({ name: named.name, kind: "namespace" });
  if (named && ts.isNamedImports(named)) bindings.push(...named.elements.map((element) => ({ name: element.name, kind: "named" as const })));
  return bindings;
}

/** Whether an import binding is used, erring on "used" wherever the evidence is not the checker's. */
class Usage {
  private readonly jsDocText: string;
  private readonly implicitJsxNames: Set<string>;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly checker: ts.TypeChecker,
    options: ts.CompilerOptions,
  ) {
    this.jsDocText = (sourceFile.text.match(/\/\*\*[\s\S]*?\*\//g) ?? []).join("\n");
    this.implicitJsxNames = jsxFactoryNames(sourceFile, options);
  }

  isUsed(name: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (!symbol) return true;
    if (referencesTo(symbol, this.sourceFile, this.checker).length > 0) return true;
    // The JSX factory (`React` with jsx: react) is used by every JSX element without being named.
    if (this.implicitJsxNames.has(name.text)) return true;
    // JSDoc types and `{@link}` in JavaScript are real uses the tree walk does not visit.
    if (new RegExp(`\\b${name.text.replace(/\$/g, "\\$")}\\b`).test(this.jsDocText)) return true;
    return this.hasUnresolvedNamesake(name);
  }

  /** An identifier of the same name that resolves to nothing might still mean the import: keep it. */
  private hasUnresolvedNamesake(name: ts.Identifier): boolean {
    return identifiersNamed(this.sourceFile, name.text).some((node) => node !== name && !isPropertyName(node) && !this.checker.getSymbolAtLocation(node));
  }
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && (ts.isPropertyAccessExpression(parent) ? parent.name : parent.right) === node) ||
    ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent) || ts.isJsxAttribute(parent)) && parent.name === node)
  );
}

/** The names classic-runtime JSX calls implicitly: `React` (or the jsxFactory / `@jsx` pragma's root), when the file has JSX. */
function jsxFactoryNames(sourceFile: ts.SourceFile, options: ts.CompilerOptions): Set<string> {
  if (!sourceFile.fileName.match(/\.[jt]sx$/) || !hasJsx(sourceFile)) return new Set();
  const pragma = (name: string) => new RegExp(`@${name}\\s+([\\w$]+)`).exec(sourceFile.text)?.[1];
  const automatic = options.jsx === ts.JsxEmit.ReactJSX || options.jsx === ts.JsxEmit.ReactJSXDev;
  const names = new Set<string>();
  const factory = pragma("jsx") ?? (automatic ? undefined : (options.jsxFactory?.split(".")[0] ?? "React"));
  const fragment = pragma("jsxFrag") ?? (automatic ? undefined : (options.jsxFragmentFactory?.split(".")[0] ?? "React"));
  if (factory) names.add(factory);
  if (fragment) names.add(fragment);
  return names;
}

function hasJsx(node: ts.Node): boolean {
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) return true;
  return ts.forEachChild(node, hasJsx) ?? false;
}

class Fixer {
  private readonly directives: readonly CommentDirective[];
  private readonly staysModule: boolean;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly options: ts.CompilerOptions,
    imports: ReadonlyArray<{ statement: ImportStatement; bindings: readonly Binding[] }>,
  ) {
    this.directives = commentDirectives(sourceFile);
    const removable = new Set(imports.filter(({ bindings }) => bindings.length > 0 && bindings.every((binding) => !binding.used)).map(({ statement }) => statement));
    this.staysModule = staysModule(sourceFile, options, removable);
  }

  fixFor(statement: ImportStatement, bindings: readonly Binding[], binding: Binding): FixBuilder | undefined {
    const { sourceFile } = this;
    const unused = bindings.filter((candidate) => !candidate.used);
    const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
    if (isGovernedByDirective(sourceFile, this.directives, lineOf(statement)) || isGovernedByDirective(sourceFile, this.directives, lineOf(binding.name))) return undefined;
    let edits: Edit[] | undefined;
    let title = `Remove unused import \`${binding.name.text}\``;
    if (unused.length === bindings.length) {
      edits = this.wholeStatement(statement);
      title = bindings.length === 1 ? title : "Remove the unused import declaration";
    } else if (ts.isImportDeclaration(statement)) {
      edits = this.partOfClause(statement.importClause!, bindings, binding);
      const named = unused.filter((candidate) => candidate.kind === "named");
      if (binding.kind === "named" && named.length > 1 && named.length === bindings.filter((candidate) => candidate.kind === "named").length) {
        title = `Remove unused imports ${named.map((candidate) => `\`${candidate.name.text}\``).join(", ")}`;
      }
    }
    if (!edits || !keepsSurroundingSyntax(sourceFile, edits)) return undefined;
    return { title, isPreferred: true, edits };
  }

  /**
   * TypeScript drops an import whose names are all unused (the module is not even loaded), so
   * deleting it changes nothing, unless the file would stop being a module: then `export {};`
   * keeps it one. Where imports are kept as written (JavaScript, verbatimModuleSyntax), the
   * module still loads today, so the fix keeps that: `import "./m";`.
   */
  private wholeStatement(statement: ImportStatement): Edit[] | undefined {
    const span = { start: statement.getStart(this.sourceFile), end: statement.getEnd() };
    const elided = ts.isImportEqualsDeclaration(statement) ? this.isTypeScript() && !this.options.verbatimModuleSyntax : statement.importClause?.isTypeOnly || this.importsAreElided();
    if (elided) return this.staysModule ? [{ ...removalSpan(this.sourceFile.text, span), newText: "" }] : [{ ...span, newText: "export {};" }];
    if (ts.isImportEqualsDeclaration(statement) || !statement.importClause) return undefined;
    return [{ start: statement.importClause.getStart(this.sourceFile), end: statement.moduleSpecifier.getStart(this.sourceFile), newText: "" }];
  }

  /** Some names of `import d, { a, b } from "m"` stay: remove the unused ones with their commas. */
  private partOfClause(clause: ts.ImportClause, bindings: readonly Binding[], binding: Binding): Edit[] | undefined {
    const text = this.sourceFile.text;
    const named = clause.namedBindings;
    const namedUnused = bindings.filter((candidate) => candidate.kind !== "default").every((candidate) => !candidate.used);
    if (clause.name && named && namedUnused && binding.kind !== "default") return [{ start: clause.name.getEnd(), end: named.getEnd(), newText: "" }];
    if (binding.kind === "default" && named) return [{ start: clause.name!.getStart(this.sourceFile), end: named.getStart(this.sourceFile), newText: "" }];
    if (!named || !ts.isNamedImports(named)) return undefined;
    const elements = named.elements;
    const index = elements.findIndex((element) => element.name === binding.name);
    const element = elements[index];
    const ownComma = skipTrivia(text, element.getEnd());
    if (text[ownComma] === ",") return [{ ...removalSpan(text, { start: element.getStart(this.sourceFile), end: ownComma + 1 }), newText: "" }];
    const previousComma = skipTrivia(text, elements[index - 1].getEnd());
    return [
      { start: previousComma, end: previousComma + 1, newText: "" },
      { ...removalSpan(text, { start: element.getStart(this.sourceFile), end: element.getEnd() }), newText: "" },
    ];
  }

  private isTypeScript(): boolean {
    return !/\.[cm]?jsx?$/.test(this.sourceFile.fileName);
  }

  private importsAreElided(): boolean {
    const { options } = this;
    const preserving = options.verbatimModuleSyntax || options.preserveValueImports || (options.importsNotUsedAsValues !== undefined && options.importsNotUsedAsValues !== ts.ImportsNotUsedAsValues.Remove);
    return this.isTypeScript() && !preserving;
  }
}

/** Whether the file is a module even with every wholly unused import gone: otherwise its top-level names would turn global. */
function staysModule(sourceFile: ts.SourceFile, options: ts.CompilerOptions, removable: ReadonlySet<ts.Statement>): boolean {
  if (options.moduleDetection === ts.ModuleDetectionKind.Force || /\.[cm][jt]s$/.test(sourceFile.fileName)) return true;
  return sourceFile.statements.some(
    (statement) =>
      !removable.has(statement) &&
      (ts.isImportDeclaration(statement) ||
        (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) ||
        ts.isExportDeclaration(statement) ||
        ts.isExportAssignment(statement) ||
        hasExport(statement)),
  );
}

function skipTrivia(text: string, position: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(position);
  scanner.scan();
  return scanner.getTokenStart();
}
