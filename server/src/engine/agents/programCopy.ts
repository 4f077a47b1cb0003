/**
 * "An in-memory copy of the program": each affected project's program as it would be with the
 * plan's files replaced by their planned text. Built with the engine's current program as
 * `oldProgram`, so every other file's parsed SourceFile (the lib files included) is reused and
 * only the changed files are parsed again; the cost is the new checker's work.
 *
 * Nothing of the engine changes: its open buffers, document versions, programs and cached
 * findings stay exactly as they were (a verification between two keystrokes must not cost the
 * editor its warm checker, nor clobber a buffer the user is typing in). The disk is never read
 * for a changed file and never written.
 */
import * as ts from "typescript";
import type { Engine } from "../analysis/engine";
import { sha256Hex } from "../ledger/hashing";
import type { Project } from "../workspace/project";
import { normalizePath } from "../workspace/paths";

export class ProgramCopy {
  private readonly copies = new Map<Project, { base: ts.Program; copy: ts.Program }>();
  private readonly signatures = new Map<string, { before: string | undefined; after: string | undefined }>();

  constructor(
    private readonly engine: Engine,
    /** Absolute path → planned text. */
    readonly replacements: ReadonlyMap<string, string>,
  ) {}

  /** The engine's current program of a project (what "before" means). */
  baseOf(project: Project): ts.Program {
    return project.program();
  }

  /** The project's program with the replacements; the base itself when the program contains none of them. */
  copyOf(project: Project): ts.Program {
    const base = project.program();
    const known = this.copies.get(project);
    if (known && known.base === base) return known.copy;
    const copy = [...this.replacements.keys()].some((file) => base.getSourceFile(file) !== undefined) ? createCopy(base, this.replacements, this.engine) : base;
    this.copies.set(project, { base, copy });
    return copy;
  }

  /** True while every program this copy was made from is still the engine's current one. */
  isCurrent(): boolean {
    for (const [project, { base }] of this.copies) if (project.program() !== base) return false;
    return true;
  }

  /**
   * Whether the file's declarations (its .d.ts: what an importer can see) differ with the
   * replacement; undefined when that cannot be told (no project, or the emit produced nothing).
   */
  declarationsChanged(file: string): boolean | undefined {
    let known = this.signatures.get(file);
    if (!known) {
      const project = this.engine.workspace.projectOf(file);
      known = project ? { before: declarationSignature(this.baseOf(project), file), after: declarationSignature(this.copyOf(project), file) } : { before: undefined, after: undefined };
      this.signatures.set(file, known);
    }
    if (known.before === undefined || known.after === undefined) return undefined;
    return known.before !== known.after;
  }
}

/**
 * A hash of the file's declaration emit plus the emit's own errors, like the engine's
 * `declarationSignature` (the test `tsc --build` uses to skip rebuilding dependents), but for any
 * program and without comments: importers are checked against the source, where a comment
 * (a doc comment, a `@ts-ignore` in one) cannot change their types or errors.
 * `forceDtsEmit` (the language service's `getEmitOutput` passes it too) makes the emit happen
 * under `noEmit`; it is the emit's sixth, internal parameter.
 */
export function declarationSignature(program: ts.Program, file: string): string | undefined {
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile || sourceFile.isDeclarationFile) return undefined;
  const declarations: string[] = [];
  const emit = program.emit as (...args: unknown[]) => ts.EmitResult;
  let result: ts.EmitResult;
  try {
    result = emit.call(program, sourceFile, (name: string, text: string) => !name.endsWith(".map") && declarations.push(text), undefined, true, undefined, true);
  } catch {
    return undefined;
  }
  if (declarations.length === 0) return undefined;
  const withoutComments = declarations.map((text) => commentFree.printFile(ts.createSourceFile("declarations.d.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)));
  // Positions move with every edit above a declaration: only codes and messages count.
  const errors = result.diagnostics.map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
  return sha256Hex([...withoutComments, ...errors].join("\n"));
}

const commentFree = ts.createPrinter({ removeComments: true });

function createCopy(base: ts.Program, replacements: ReadonlyMap<string, string>, engine: Engine): ts.Program {
  const options = base.getCompilerOptions();
  const documents = engine.workspace.documents;
  const system = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
    ...system,
    getSourceFile(fileName, languageVersionOrOptions) {
      const file = normalizePath(fileName);
      const replaced = replacements.get(file);
      // createProgram passes the options the file needs (module detection, impliedNodeFormat), as the language service gets them.
      if (replaced !== undefined) return ts.createSourceFile(fileName, replaced, languageVersionOrOptions, true);
      // The same object as in the base program: that is what tells TypeScript the file is unchanged.
      const existing = base.getSourceFile(fileName);
      if (existing) return existing;
      const text = documents.read(file);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersionOrOptions, true);
    },
    fileExists: (fileName) => replacements.has(normalizePath(fileName)) || documents.exists(normalizePath(fileName)),
    readFile: (fileName) => replacements.get(normalizePath(fileName)) ?? documents.read(normalizePath(fileName)),
    // As the engine's projects do: referenced projects are read from source, not from build output.
    useSourceOfProjectReferenceRedirect: () => true,
  };
  return ts.createProgram({ rootNames: base.getRootFileNames(), options, projectReferences: base.getProjectReferences(), host, oldProgram: base });
}

interface CachedCopy {
  key: string;
  copy: ProgramCopy;
}

/** One copy per engine: the planner builds it, the verifier of the same plan reuses it. */
const cache = new WeakMap<Engine, CachedCopy>();

/** The program copy for these replacements, reused while the engine's programs have not changed since it was made. */
export function programCopyFor(engine: Engine, replacements: ReadonlyMap<string, string>): ProgramCopy {
  const key = keyOf(replacements);
  const cached = cache.get(engine);
  if (cached && cached.key === key && cached.copy.isCurrent()) return cached.copy;
  const copy = new ProgramCopy(engine, replacements);
  cache.set(engine, { key, copy });
  return copy;
}

/** Drops the cached copy (its checker holds a lot of memory) once the plan is verified. */
export function releaseProgramCopy(engine: Engine, copy: ProgramCopy): void {
  if (cache.get(engine)?.copy === copy) cache.delete(engine);
}

function keyOf(replacements: ReadonlyMap<string, string>): string {
  return sha256Hex(JSON.stringify([...replacements].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, text]) => [file, sha256Hex(text)])));
}
