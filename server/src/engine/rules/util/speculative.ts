import * as ts from "typescript";

/**
 * The semantic diagnostics `sourceFile` would have with `newText`, everything else unchanged.
 * The new program reuses every other parsed file of the current one, so the cost is one
 * checker pass over this file (plus what it pulls in), not a rebuild of the project. The file
 * is the first one its fresh checker checks.
 */
export function semanticDiagnosticsWith(program: ts.Program, sourceFile: ts.SourceFile, newText: string): readonly ts.Diagnostic[] {
  const replacement = ts.createSourceFile(
    sourceFile.fileName,
    newText,
    {
      languageVersion: sourceFile.languageVersion,
      impliedNodeFormat: sourceFile.impliedNodeFormat,
      // Module or script must not flip (moduleDetection: force decides without looking at the text).
      setExternalModuleIndicator: (file) => {
        (file as { externalModuleIndicator?: ts.Node | true }).externalModuleIndicator = ts.isExternalModule(sourceFile) ? (moduleIndicatorOf(file) ?? true) : undefined;
      },
    },
    true,
    scriptKindOf(sourceFile.fileName),
  );
  const variant = programWith(program, replacement);
  const checked = variant.getSourceFile(sourceFile.fileName);
  return checked ? variant.getSemanticDiagnostics(checked) : [];
}

/**
 * The same program with a new, unused type checker (and `replacement` instead of the file of
 * its name, if given). Every other parsed file, module resolution and option is reused, so this
 * costs milliseconds; the checking is then done afresh, in whatever order the caller asks for.
 * That matters: a checker that has already checked some files can report diagnostics that a
 * checker starting elsewhere does not (circularities, instantiation depth), so `tsc`'s verdict
 * needs a fresh checker and `tsc`'s order.
 */
export function programWith(program: ts.Program, replacement?: ts.SourceFile): ts.Program {
  const options = program.getCompilerOptions();
  const base = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
    ...base,
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) =>
      replacement && fileName === replacement.fileName ? replacement : (program.getSourceFile(fileName) ?? base.getSourceFile(fileName, languageVersion, onError, shouldCreate)),
    // As the project's language service does: referenced projects are read from source, not build output.
    useSourceOfProjectReferenceRedirect: () => true,
  };
  return ts.createProgram({ rootNames: program.getRootFileNames(), options, projectReferences: program.getProjectReferences(), host, oldProgram: program });
}

function moduleIndicatorOf(file: ts.SourceFile): ts.Node | undefined {
  return file.statements.find(
    (statement) =>
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isExportDeclaration(statement) ||
      ts.isExportAssignment(statement) ||
      (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
