/**
 * Contract drift: every difference between a baseline and the current API, classified
 * `breaking` / `additive` / `internal` by the rules in docs/contracts.md, each saying whether the
 * checker proved it (`proven`) or a rule about how consumers use the symbol decided
 * (`heuristic`).
 *
 * The descriptions say *what* changed; the checker, given both sides' declarations in one
 * program (comparison.ts), says whether old and new types fit each other. A type whose text did
 * not change is not asked about (it is the same declaration, or a change reported where that
 * declaration is exported), except for the types the contract uses but does not export
 * (hiddenTypes.ts): an export that reads the same while one of those changed is checked last.
 */
import type * as ts from "typescript";
import { canonicalJson } from "../ledger/canonicalJson";
import type { ApiBaseline, LoadedBaseline } from "./baseline";
import { hiddenPath, TypeComparison, type ComparisonCache, type ProbeRequest, type TypePair } from "./comparison";
import { exportEqualsName } from "./extract";
import { changedHiddenTypes, mentions, readTypeDeclarations, type HiddenType } from "./hiddenTypes";
import { quoteType, relateWith, relationWords, typeChangeKind, type DiffContext, type Place, type RelationResult, type ReportInput } from "./diffContext";
import { indexSignatureKey, memberPath } from "./locationKeys";
import type {
  ApiClass,
  ApiEnum,
  ApiExport,
  ApiIndexSignature,
  ApiInterface,
  ApiMember,
  ApiObjectShape,
  ApiSurface,
  ApiTypeAlias,
  ApiVariable,
  ChangeLocation,
  ContractChange,
  DeclarationBundle,
  ReleaseTag,
} from "./model";
import { verdictOf, type RelateOptions, type Relation, type Variance, type Verdict } from "./relation";
import { diffSignatureSet, diffTags, diffTypeParameters, publicSignatures } from "./signatureDiff";

/** The current side of a diff: the extracted API, where its parts are declared, and its declarations. */
export interface CurrentContract {
  name: string;
  api: ApiSurface;
  locations: ReadonlyMap<string, ChangeLocation>;
  declarations: DeclarationBundle;
  /** Absolute path of the entry module: where a change without a better place is shown. */
  entryFile: string;
}

/** What the checker needs to load both sides: the folder they are placed in (the current package root) and the project's options. */
export interface CheckerContext {
  folder: string;
  options: ts.CompilerOptions;
  /** A program whose lib and node_modules files are reused (the project's). */
  reuse?: ts.Program;
  /** What the comparisons of this contract share between edits (the language server keeps one per contract). */
  cache?: ComparisonCache;
  /**
   * A top-level export's changes from the last comparison, when the caller knows they still
   * hold (contractCache.ts: the very description of last time, read from files no edit reached
   * since, so its types in the declarations are the same too, and so are the descriptions of
   * `aliasTargets`, the exports its aliases name); undefined: classify it again.
   */
  kept?: (name: string, aliasTargets: readonly string[]) => readonly ContractChange[] | undefined;
}

const valueFacets = ["class", "enum", "function", "variable"] as const;
const typeFacets = ["class", "enum", "interface", "typeAlias"] as const;

/**
 * Every change from the baseline to the current API, sorted by file and line. Without a checker
 * context every type change is judged from the texts (heuristic).
 */
export function diffContracts(baseline: LoadedBaseline<ApiBaseline>, current: CurrentContract, context?: CheckerContext): ContractChange[] {
  const differing = differingExports(baseline.baseline.api, current.api);
  // The common case while typing: nothing the contract describes or declares changed.
  if (differing.size === 0 && sameFiles(baseline.baseline.declarations, current.declarations)) return [];
  const kept = new Map<string, readonly ContractChange[]>();
  for (const name of differing) {
    const changes = keptChanges(context, name, baseline.baseline.api, current.api);
    if (changes) kept.set(name, changes);
  }
  const hidden = context ? changedHiddenTypes(baseline.baseline.declarations, current.declarations, contractNames(baseline.baseline.api, current.api), context.cache?.declaredTypes) : [];
  const comparison = context
    ? new TypeComparison({
        baseline: baseline.baseline.declarations,
        current: current.declarations,
        folder: context.folder,
        options: context.options,
        probes: collectProbes(baseline.baseline.api, current.api, probedExports(new Set([...differing].filter((name) => !kept.has(name))), hidden, current.api)),
        hidden,
        reuse: context.reuse,
        cache: context.cache,
      })
    : undefined;
  return new Differ(baseline, current, comparison, hidden, differing, kept).run();
}

/** The last changes of an export, when the caller keeps them: an alias in it (on either side) is compared through the export it names, which must be kept too. */
function keptChanges(context: CheckerContext | undefined, name: string, oldApi: ApiSurface, newApi: ApiSurface): readonly ContractChange[] | undefined {
  const before = oldApi.exports[name];
  const after = newApi.exports[name];
  if (!context?.kept || !before || !after) return undefined;
  return context.kept(name, [...new Set([...aliasTargets(before), ...aliasTargets(after)])]);
}

/** The top-level exports the aliases in a description (at any depth) name. */
function aliasTargets(described: ApiExport): string[] {
  if (!describedText(described).includes('"aliasOf"')) return [];
  const targets: string[] = [];
  const visit = (entry: ApiExport) => {
    if (entry.aliasOf !== undefined) targets.push(splitPath(entry.aliasOf)[0]);
    for (const member of Object.values(entry.namespace?.exports ?? {})) visit(member);
  };
  visit(described);
  return targets;
}

/** The top-level export whose comparison reported each change (none for a referenced-type change, which depends on the whole contract). */
const exportsOfChanges = new WeakMap<ContractChange, string>();

/** Changes by the top-level export that reported them, for `CheckerContext.kept` next time; referenced-type changes are left out. */
export function changesByExport(changes: readonly ContractChange[]): Map<string, ContractChange[]> {
  const byExport = new Map<string, ContractChange[]>();
  for (const change of changes) {
    const name = exportsOfChanges.get(change);
    if (name === undefined) continue;
    const list = byExport.get(name) ?? [];
    byExport.set(name, list);
    list.push(change);
  }
  return byExport;
}

/** Where each change was shown from (a location key, or a pointer into the baseline), so that it can be shown again after the code moved. */
const placesOfChanges = new WeakMap<ContractChange, Place>();

function placeIn(at: Place, baseline: LoadedBaseline<ApiBaseline>, current: CurrentContract): ChangeLocation {
  if ("pointer" in at) return { file: baseline.file, range: baseline.document.rangeOf(at.pointer) };
  // The nearest enclosing part that has a location: a removed parameter is shown on its signature, a removed member on its class.
  for (let key = at.key; key.length > 0; key = parentKey(key)) {
    const location = current.locations.get(key);
    if (location) return location;
  }
  return { file: current.entryFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/**
 * Whether two extractions of a contract read the same (every export described alike, the same
 * declarations): then they have the same changes from any baseline, only perhaps elsewhere in
 * the source (an edit inside a body moves what follows it).
 */
export function sameContract(a: CurrentContract, b: CurrentContract): boolean {
  if (a.name !== b.name || a.entryFile !== b.entryFile || !sameFiles(a.declarations, b.declarations)) return false;
  const names = Object.keys(a.api.exports);
  return names.length === Object.keys(b.api.exports).length && names.every((name) => Object.hasOwn(b.api.exports, name) && describedText(a.api.exports[name]) === describedText(b.api.exports[name]));
}

/**
 * The changes `diffContracts` gave for an extraction that reads the same as `current`
 * (`sameContract`), shown where `current` declares them. Undefined when a change was not made by
 * `diffContracts`, so its place is unknown.
 */
export function relocateChanges(changes: readonly ContractChange[], baseline: LoadedBaseline<ApiBaseline>, current: CurrentContract): ContractChange[] | undefined {
  const moved: ContractChange[] = [];
  for (const change of changes) {
    const at = placesOfChanges.get(change);
    if (!at) return undefined;
    const location = placeIn(at, baseline, current);
    const next: ContractChange = { ...change, contract: current.name, file: location.file, line: location.range.start.line + 1, range: location.range };
    placesOfChanges.set(next, at);
    const name = exportsOfChanges.get(change);
    if (name !== undefined) exportsOfChanges.set(next, name);
    moved.push(next);
  }
  return moved.sort(compareChanges);
}

/**
 * Loads what a comparison of this contract will need into `context.cache` (both bundles parsed
 * and bound, their type declarations read, each export's description written) before any edit
 * needs it: the language server does it once, after the first comparison, while nothing waits.
 */
export function prepareComparison(baseline: LoadedBaseline<ApiBaseline>, current: CurrentContract, context: CheckerContext & { cache: ComparisonCache }): void {
  differingExports(baseline.baseline.api, current.api);
  readTypeDeclarations(baseline.baseline.declarations, current.declarations, context.cache.declaredTypes);
  new TypeComparison({ baseline: baseline.baseline.declarations, current: current.declarations, folder: context.folder, options: context.options, probes: [], reuse: context.reuse, cache: context.cache });
}

/**
 * Top-level exports whose descriptions differ (or exist on one side only). An export described
 * the same on both sides yields no change however its types relate (every rule starts from a
 * difference in the descriptions), so only these, and those the referenced-type check may
 * relate, need the checker: after an edit, the few the edit reached.
 */
function differingExports(oldApi: ApiSurface, newApi: ApiSurface): Set<string> {
  const differing = new Set<string>();
  for (const name of unionOfKeys(oldApi.exports, newApi.exports)) {
    const before = oldApi.exports[name];
    const after = newApi.exports[name];
    if (!before || !after || describedText(before) !== describedText(after)) differing.add(name);
  }
  return differing;
}

/** An export's description as canonical JSON, written once per description object (an incremental extraction keeps the objects of exports it did not describe again). */
const describedTexts = new WeakMap<ApiExport, string>();

function describedText(described: ApiExport): string {
  let text = describedTexts.get(described);
  if (text === undefined) describedTexts.set(described, (text = canonicalJson(described)));
  return text;
}

/**
 * The exports to give probes: those that differ, those whose description mentions a changed
 * hidden type (the referenced-type check relates them), and `export=`, whose presence decides
 * how the probe module imports both sides.
 */
function probedExports(differing: ReadonlySet<string>, hidden: readonly HiddenType[], newApi: ApiSurface): Set<string> {
  const probed = new Set([...differing, exportEqualsName]);
  if (hidden.length === 0) return probed;
  const names = [...new Set(hidden.map((type) => type.name))];
  for (const [name, described] of Object.entries(newApi.exports)) {
    if (!probed.has(name) && names.some((hiddenName) => mentions(describedText(described), hiddenName))) probed.add(name);
  }
  return probed;
}

function sameFiles(a: DeclarationBundle, b: DeclarationBundle): boolean {
  const keys = Object.keys(a.files);
  return a.entry === b.entry && keys.length === Object.keys(b.files).length && keys.every((key) => a.files[key] === b.files[key]);
}

/** Every name the contract exports, at any depth: a declaration of that name is compared as an export, not as a hidden type. */
function contractNames(...apis: ApiSurface[]): Set<string> {
  const names = new Set<string>();
  const visit = (entries: Record<string, ApiExport>) => {
    for (const [name, described] of Object.entries(entries)) {
      names.add(name);
      if (described.namespace) visit(described.namespace.exports);
    }
  };
  for (const api of apis) visit(api.exports);
  return names;
}

class Differ implements DiffContext {
  readonly checker: ts.TypeChecker | undefined;
  private readonly changes: ContractChange[] = [];
  /** The top-level export being compared: the one each change is reported for. */
  private walking: string | undefined;
  /** The release tag of the baseline declaration being compared: breaks of beta and alpha APIs are not breaking. */
  private unstable: ReleaseTag | undefined;
  private readonly oldApi: ApiSurface;

  constructor(
    private readonly baseline: LoadedBaseline<ApiBaseline>,
    private readonly current: CurrentContract,
    private readonly comparison: TypeComparison | undefined,
    private readonly hidden: readonly HiddenType[],
    /** The top-level exports described differently: the others yield no change and are not walked. */
    private readonly differing: ReadonlySet<string>,
    /** Of those, the ones whose last changes still hold: taken as they are. */
    private readonly kept: ReadonlyMap<string, readonly ContractChange[]>,
  ) {
    this.checker = comparison?.checker;
    this.oldApi = baseline.baseline.api;
  }

  run(): ContractChange[] {
    this.exports(this.oldApi.exports, this.current.api.exports, "", "/api/exports");
    this.walking = undefined;
    this.referencedTypes();
    return this.changes.sort(compareChanges);
  }

  report(input: ReportInput): void {
    const location = placeIn(input.at, this.baseline, this.current);
    let { classification } = input.verdict;
    let message = input.message;
    if (classification === "breaking" && this.unstable) {
      classification = "additive";
      message += ` (it is @${this.unstable}: not covered by the breaking-change promise)`;
    }
    const change: ContractChange = {
      contract: this.current.name,
      symbol: input.symbol,
      kind: input.kind,
      classification,
      proof: input.verdict.proof,
      file: location.file,
      line: location.range.start.line + 1,
      range: location.range,
      message,
    };
    placesOfChanges.set(change, input.at);
    if (this.walking !== undefined) exportsOfChanges.set(change, this.walking);
    this.changes.push(change);
  }

  relateTypes(oldType: ts.Type | undefined, newType: ts.Type | undefined, oldText: string, newText: string, options?: RelateOptions): RelationResult {
    return relateWith(this.checker, oldType, newType, oldText, newText, options);
  }

  private exports(oldExports: Record<string, ApiExport>, newExports: Record<string, ApiExport>, prefix: string, pointer: string): void {
    for (const name of unionOfKeys(oldExports, newExports)) {
      if (prefix === "") {
        if (!this.differing.has(name)) continue;
        const kept = this.kept.get(name);
        if (kept) {
          this.changes.push(...kept);
          continue;
        }
        this.walking = name;
      }
      const path = memberPath(prefix, name);
      const before = oldExports[name];
      const after = newExports[name];
      const at = `${pointer}/${escapePointer(name)}`;
      if (before && !after) {
        this.withRelease(releaseOf(this.resolveOld(before) ?? {}, this.resolveOld(before)?.function?.signatures), () =>
          this.report({ kind: "export-removed", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { pointer: at }, message: `'${path}' is no longer exported: code that imports it fails to compile` }),
        );
      } else if (!before && after) {
        this.report({ kind: "export-added", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `'${path}' is newly exported` });
      } else if (before && after) {
        this.export(before, after, path, at);
      }
    }
  }

  private export(before: ApiExport, after: ApiExport, path: string, pointer: string): void {
    if (before.aliasOf !== undefined && before.aliasOf === after.aliasOf) return;
    const old = this.resolveOld(before);
    const now = this.resolveNew(after);
    if (!old || !now) return;
    this.withRelease(releaseOf(old, old.function?.signatures), () => {
      diffTags(this, old, now, path, { key: path }, `'${path}'`);
      this.facets(old, now, path, pointer);
    });
  }

  private facets(old: ApiExport, now: ApiExport, path: string, pointer: string): void {
    const oldValue = valueFacets.find((facet) => old[facet]);
    const newValue = valueFacets.find((facet) => now[facet]);
    const oldType = typeFacets.find((facet) => old[facet]);
    const newType = typeFacets.find((facet) => now[facet]);
    const lost = [oldValue && !newValue ? "a value" : undefined, oldType && !newType ? "a type" : undefined].filter(Boolean);
    if (lost.length > 0) {
      this.report({ kind: "export-kind-changed", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `'${path}' is no longer ${lost.join(" or ")} (it was ${kindWords(old)}, now ${kindWords(now)}): code that uses it as one fails to compile` });
    }
    const gained = [!oldValue && newValue ? "a value" : undefined, !oldType && newType ? "a type" : undefined].filter(Boolean);
    if (gained.length > 0) {
      this.report({ kind: "export-kind-changed", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `'${path}' is now also ${gained.join(" and ")} (${kindWords(now)})` });
    }
    if (oldValue && newValue && oldValue !== newValue && !(oldValue === "class" && newType === "class")) this.kindSwap(path, "value", oldValue, newValue);
    if (oldType && newType && oldType !== newType && oldValue !== "class") this.kindSwap(path, "type", oldType, newType);
    if (old.function && now.function) this.function(path);
    if (old.class && now.class) this.class(old.class, now.class, path);
    if (old.interface && now.interface) this.interface(old.interface, now.interface, path);
    if (old.typeAlias && now.typeAlias) this.typeAlias(old.typeAlias, now.typeAlias, path);
    if (old.enum && now.enum) this.enum(old.enum, now.enum, path);
    if (old.variable && now.variable) this.variable(old.variable, now.variable, path);
    if (old.namespace || now.namespace) this.exports(old.namespace?.exports ?? {}, now.namespace?.exports ?? {}, path, `${pointer}/namespace/exports`);
  }

  /** The same name declared another way (a function became a const, an interface a type alias): the checker decides whether anything a consumer wrote breaks. */
  private kindSwap(path: string, meaning: "value" | "type", oldFacet: string, newFacet: string): void {
    const pair = this.comparison?.pair(path, meaning);
    const { relation, proof } = pair ? { relation: this.relation(pair.old, pair.new), proof: "proven" as const } : { relation: "changed" as Relation, proof: "heuristic" as const };
    const verdict = verdictOf(relation, meaning === "value" ? "out" : "inout", proof);
    this.report({
      kind: "export-kind-changed",
      symbol: path,
      verdict,
      at: { key: path },
      message: `'${path}' is declared as ${article(facetWords[newFacet])} now (was ${article(facetWords[oldFacet])})${verdict.classification === "internal" ? "; its type is the same" : verdict.classification === "breaking" ? `, and its type ${relationWords(relation)}` : ""}`,
    });
  }

  private function(path: string): void {
    const old = this.resolveOldAt(path)?.function;
    const now = this.resolveNewAt(path)?.function;
    if (!old || !now) return;
    const pair = this.comparison?.pair(path, "value");
    diffSignatureSet(this, {
      old: old.signatures,
      new: now.signatures,
      ...this.signatureTypes(pair, "call"),
      symbol: path,
      keyPath: path,
      kind: "call",
      mode: "call",
      label: `'${path}'`,
      typeParametersInferred: true,
      compareReturns: true,
      ...(pair ? { whole: { old: pair.old, new: pair.new } } : {}),
    });
  }

  private class(old: ApiClass, now: ApiClass, path: string): void {
    const instance = this.comparison?.pair(path, "type");
    const statics = this.comparison?.pair(path, "value");
    if (!old.abstract && now.abstract) this.report({ kind: "abstract-added", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `the class '${path}' is now abstract: \`new ${path}(…)\` no longer compiles` });
    if (old.abstract && !now.abstract) this.report({ kind: "abstract-removed", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `the class '${path}' is no longer abstract` });
    this.typeParameters(old.typeParameters, now.typeParameters, path, instance);
    if ((old.extends ?? "") !== (now.extends ?? "")) this.baseChange(path, old.extends ? [old.extends] : [], now.extends ? [now.extends] : [], "out", instance);
    diffSignatureSet(this, {
      old: old.constructors,
      new: now.constructors,
      ...this.signatureTypes(statics, "new"),
      symbol: `${path}.constructor`,
      keyPath: path,
      kind: "new",
      mode: "call",
      label: `the constructor of '${path}'`,
      typeParametersInferred: true,
      compareReturns: false,
      ...(statics ? { whole: { old: statics.old, new: statics.new } } : {}),
    });
    this.shape(old, now, path, "class", instance, statics);
  }

  private interface(old: ApiInterface, now: ApiInterface, path: string): void {
    const pair = this.comparison?.pair(path, "type");
    this.typeParameters(old.typeParameters, now.typeParameters, path, pair);
    if (JSON.stringify(old.extends ?? []) !== JSON.stringify(now.extends ?? [])) this.baseChange(path, old.extends ?? [], now.extends ?? [], "inout", pair);
    this.shape(old, now, path, "interface", pair, undefined);
  }

  private typeAlias(old: ApiTypeAlias, now: ApiTypeAlias, path: string): void {
    const pair = this.comparison?.pair(path, "type");
    this.typeParameters(old.typeParameters, now.typeParameters, path, pair);
    if (old.shape && now.shape) {
      this.shape(old.shape, now.shape, path, "interface", pair, undefined);
      return;
    }
    const oldText = old.type ?? shapeText(old.shape);
    const newText = now.type ?? shapeText(now.shape);
    if (oldText === newText && Boolean(old.shape) === Boolean(now.shape)) return;
    const { relation, proof } = this.relateTypes(pair?.old, pair?.new, oldText, newText);
    const verdict = verdictOf(relation, "inout", proof);
    this.report({
      kind: typeChangeKind("type-alias", relation),
      symbol: path,
      verdict,
      at: { key: path },
      message: `the type '${path}' ${relationWords(relation)}: ${quoteType(oldText)} → ${quoteType(newText)}${verdict.classification === "breaking" ? (relation === "narrowed" ? ": values consumers build of the old type may not fit" : relation === "widened" ? ": code that reads it as the old type may fail" : ": code that builds or reads it may fail") : ""}`,
    });
  }

  private enum(old: ApiEnum, now: ApiEnum, path: string): void {
    if (!old.const && now.const) this.report({ kind: "enum-made-const", symbol: path, verdict: { classification: "breaking", proof: "heuristic" }, at: { key: path }, message: `the enum '${path}' is now a const enum: it no longer exists at run time (\`Object.values(${path})\`, isolatedModules consumers)` });
    if (old.const && !now.const) this.report({ kind: "enum-no-longer-const", symbol: path, verdict: { classification: "additive", proof: "heuristic" }, at: { key: path }, message: `the enum '${path}' is no longer a const enum` });
    for (const name of unionOfKeys(old.members, now.members)) {
      const member = memberPath(path, name);
      if (!(name in now.members)) this.report({ kind: "enum-member-removed", symbol: member, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `the enum member '${member}' was removed: code that refers to it fails to compile` });
      else if (!(name in old.members)) this.report({ kind: "enum-member-added", symbol: member, verdict: { classification: "additive", proof: "proven" }, at: { key: member }, message: `new enum member '${member}' = ${JSON.stringify(now.members[name])}` });
      else if (old.members[name] !== now.members[name]) {
        this.report({
          kind: "enum-value-changed",
          symbol: member,
          verdict: { classification: "breaking", proof: "heuristic" },
          at: { key: member },
          message: `the value of '${member}' changed from ${JSON.stringify(old.members[name])} to ${JSON.stringify(now.members[name])}: it still compiles, but values stored or sent elsewhere no longer match`,
        });
      }
    }
  }

  private variable(old: ApiVariable, now: ApiVariable, path: string): void {
    if (old.declaration !== now.declaration) this.report({ kind: "variable-declaration-changed", symbol: path, verdict: { classification: "internal", proof: "proven" }, at: { key: path }, message: `'${path}' is declared with \`${now.declaration}\` now (was \`${old.declaration}\`); importers cannot assign to it either way` });
    if (old.type === now.type) return;
    const pair = this.comparison?.pair(path, "value");
    const { relation, proof } = this.relateTypes(pair?.old, pair?.new, old.type, now.type);
    const verdict = verdictOf(relation, "out", proof);
    this.report({ kind: typeChangeKind("variable", relation), symbol: path, verdict, at: { key: path }, message: `the type of '${path}' ${relationWords(relation)}: ${quoteType(old.type)} → ${quoteType(now.type)}${verdict.classification === "breaking" ? ": code that uses it as the old type may no longer compile" : ""}` });
  }

  private typeParameters(old: ApiClass["typeParameters"], now: ApiClass["typeParameters"], path: string, pair: TypePair | undefined): void {
    diffTypeParameters(this, {
      old: old ?? [],
      new: now ?? [],
      oldTypes: this.declaredTypeParameters(pair?.oldSymbol),
      newTypes: this.declaredTypeParameters(pair?.newSymbol),
      owner: path,
      symbol: path,
      label: `'${path}'`,
      inferred: false,
    });
  }

  private declaredTypeParameters(symbol: ts.Symbol | undefined): ts.TypeParameter[] | undefined {
    const checker = this.checker;
    if (!symbol || !checker) return undefined;
    const declaration = symbol.declarations?.find((candidate) => "typeParameters" in candidate) as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> } | undefined;
    return declaration?.typeParameters?.map((parameter) => checker.getTypeAtLocation(parameter) as ts.TypeParameter);
  }

  /** A base type changed: the whole type (own members included) is related, since what is inherited is what consumers see. */
  private baseChange(path: string, oldBases: readonly string[], newBases: readonly string[], variance: Variance, pair: TypePair | undefined): void {
    const relation = pair ? this.relation(pair.old, pair.new) : "changed";
    const verdict = verdictOf(relation, variance, pair ? "proven" : "heuristic");
    const list = (bases: readonly string[]) => (bases.length === 0 ? "nothing" : bases.map((base) => quoteType(base)).join(", "));
    this.report({
      kind: "base-type-changed",
      symbol: path,
      verdict,
      at: { key: path },
      message: `'${path}' extends ${list(newBases)} now (was ${list(oldBases)})${baseConsequence(relation, verdict)}`,
    });
  }

  private shape(old: ApiObjectShape, now: ApiObjectShape, path: string, container: "class" | "interface", instance: TypePair | undefined, statics: TypePair | undefined): void {
    this.members(old.members ?? {}, now.members ?? {}, path, container, instance, statics);
    for (const [kind, field, signatureKind] of [["call", "callSignatures", 0], ["new", "constructSignatures", 1]] as const) {
      const before = old[field] ?? [];
      const after = now[field] ?? [];
      if (before.length === 0 && after.length === 0) continue;
      const tsKind = signatureKind === 0 ? 0 : 1;
      diffSignatureSet(this, {
        old: before,
        new: after,
        ...this.signatureTypes(instance, kind, tsKind),
        symbol: path,
        keyPath: path,
        kind,
        mode: "implement",
        label: kind === "call" ? `calling '${path}'` : `\`new\` on '${path}'`,
        typeParametersInferred: true,
        compareReturns: true,
      });
    }
    this.indexSignatures(old.indexSignatures ?? [], now.indexSignatures ?? [], path, container, instance);
  }

  private members(oldMembers: Record<string, ApiMember>, newMembers: Record<string, ApiMember>, parent: string, container: "class" | "interface", instance: TypePair | undefined, statics: TypePair | undefined): void {
    for (const key of unionOfKeys(oldMembers, newMembers)) {
      const before = oldMembers[key];
      const after = newMembers[key];
      const path = memberPath(parent, key);
      const isStatic = key.startsWith("static ");
      const pair = isStatic ? statics : instance;
      const name = isStatic ? key.slice("static ".length) : key;
      const oldProperty = pair && this.property(pair.old, name);
      const newProperty = pair && this.property(pair.new, name);
      const noun = (member: ApiMember) => (member.kind === "method" ? "method" : "property");
      if (before && !after) {
        if (before.visibility === "private") continue;
        if (newProperty && oldProperty) {
          this.inherited(path, before, oldProperty, newProperty, "is inherited now instead of declared here");
          continue;
        }
        this.report({ kind: before.kind === "method" ? "method-removed" : "property-removed", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `the ${noun(before)} '${path}' was removed: code that uses it fails to compile` });
      } else if (!before && after) {
        if (after.visibility === "private") continue;
        if (oldProperty && newProperty) {
          this.inherited(path, after, oldProperty, newProperty, "is declared here now instead of inherited");
          continue;
        }
        if (container === "class" && after.abstract) this.report({ kind: "abstract-member-added", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `new abstract ${noun(after)} '${path}': subclasses that do not implement it no longer compile` });
        else if (container === "class" || after.optional) this.report({ kind: after.kind === "method" ? "method-added" : "property-added", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `new ${after.optional ? "optional " : ""}${noun(after)} '${path}'` });
        else this.report({ kind: after.kind === "method" ? "required-method-added" : "required-property-added", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `new required ${noun(after)} '${path}': objects and classes consumers write to this type lack it and no longer compile` });
      } else if (before && after) {
        this.member(before, after, path, container, oldProperty, newProperty);
      }
    }
  }

  private inherited(path: string, member: ApiMember, oldProperty: ts.Symbol, newProperty: ts.Symbol, how: string): void {
    const checker = this.checker!;
    const relation = this.relation(checker.getTypeOfSymbol(oldProperty), checker.getTypeOfSymbol(newProperty));
    const verdict = verdictOf(relation, member.readonly ? "out" : "inout");
    this.report({ kind: "member-inherited", symbol: path, verdict, at: { key: path }, message: `'${path}' ${how}${verdict.classification === "internal" ? "; its type is the same" : `, and its type ${relationWords(relation)}`}` });
  }

  private member(before: ApiMember, after: ApiMember, path: string, container: "class" | "interface", oldProperty: ts.Symbol | undefined, newProperty: ts.Symbol | undefined): void {
    const rank = (member: ApiMember) => (member.visibility === "private" ? 2 : member.visibility === "protected" ? 1 : 0);
    const visibility = (member: ApiMember) => member.visibility ?? "public";
    if (rank(after) > rank(before)) {
      this.report({ kind: "visibility-reduced", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `'${path}' is ${visibility(after)} now (was ${visibility(before)}): code ${after.visibility === "private" ? "outside the class" : "outside the class and its subclasses"} that uses it fails to compile` });
      if (after.visibility === "private") return;
    } else if (rank(after) < rank(before)) {
      this.report({ kind: "visibility-increased", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `'${path}' is ${visibility(after)} now (was ${visibility(before)})` });
      if (before.visibility === "private") return;
    }
    this.withRelease(releaseOf(before, before.signatures), () => this.memberBody(before, after, path, container, oldProperty, newProperty));
  }

  private memberBody(before: ApiMember, after: ApiMember, path: string, container: "class" | "interface", oldProperty: ts.Symbol | undefined, newProperty: ts.Symbol | undefined): void {
    const checker = this.checker;
    diffTags(this, before, after, path, { key: path }, `'${path}'`);
    if (!before.abstract && after.abstract) this.report({ kind: "abstract-added", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `'${path}' is abstract now: subclasses that do not implement it no longer compile` });
    if (before.abstract && !after.abstract) this.report({ kind: "abstract-removed", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `'${path}' is no longer abstract` });
    const variance: Variance = container === "class" && before.readonly && after.readonly ? "out" : "inout";
    if (before.kind !== after.kind) {
      const relation = checker && oldProperty && newProperty ? this.relation(checker.getTypeOfSymbol(oldProperty), checker.getTypeOfSymbol(newProperty)) : "changed";
      const verdict = verdictOf(relation, variance, checker && oldProperty && newProperty ? "proven" : "heuristic");
      this.report({ kind: "member-kind-changed", symbol: path, verdict, at: { key: path }, message: `'${path}' is a ${after.kind} now (was a ${before.kind})${verdict.classification === "internal" ? "; its type is the same" : `: its type ${relationWords(relation)}`}` });
      return;
    }
    if (!before.readonly && after.readonly) this.report({ kind: "readonly-added", symbol: path, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `'${path}' is readonly now: code that assigns to it fails to compile` });
    if (before.readonly && !after.readonly) this.report({ kind: "readonly-removed", symbol: path, verdict: { classification: "additive", proof: "proven" }, at: { key: path }, message: `'${path}' is writable now (was readonly)` });
    if (before.optional && !after.optional) {
      const verdict = verdictOf("narrowed", variance);
      this.report({ kind: "property-made-required", symbol: path, verdict, at: { key: path }, message: `'${path}' is required now${verdict.classification === "breaking" ? ": objects consumers build without it, and code that sets it to undefined, no longer compile" : ""}` });
    } else if (!before.optional && after.optional) {
      this.report({ kind: "property-made-optional", symbol: path, verdict: verdictOf("widened", variance), at: { key: path }, message: `'${path}' is optional now: code that reads it gets 'undefined' where it did not, and may no longer compile` });
    }
    if (before.kind === "property") {
      if (before.type === after.type || before.type === undefined || after.type === undefined) return;
      const oldType = checker && oldProperty ? checker.getTypeOfSymbol(oldProperty) : undefined;
      const newType = checker && newProperty ? checker.getTypeOfSymbol(newProperty) : undefined;
      const { relation, proof } = this.relateTypes(oldType, newType, before.type, after.type, { ignoreUndefined: Boolean(before.optional || after.optional) });
      const verdict = verdictOf(relation, variance, proof);
      this.report({ kind: typeChangeKind("property", relation), symbol: path, verdict, at: { key: path }, message: `the type of '${path}' ${relationWords(relation)}: ${quoteType(before.type)} → ${quoteType(after.type)}${propertyConsequence(relation, variance, verdict)}` });
      return;
    }
    const oldMethod = checker && oldProperty ? checker.getNonNullableType(checker.getTypeOfSymbol(oldProperty)) : undefined;
    const newMethod = checker && newProperty ? checker.getNonNullableType(checker.getTypeOfSymbol(newProperty)) : undefined;
    diffSignatureSet(this, {
      old: before.signatures ?? [],
      new: after.signatures ?? [],
      ...(checker && oldMethod && newMethod ? { oldTypes: publicSignatures(checker, oldMethod, 0), newTypes: publicSignatures(checker, newMethod, 0), whole: { old: oldMethod, new: newMethod } } : {}),
      symbol: path,
      keyPath: path,
      kind: "call",
      mode: container === "interface" ? "implement" : "call",
      label: `'${path}'`,
      typeParametersInferred: true,
      compareReturns: true,
    });
  }

  private indexSignatures(old: readonly ApiIndexSignature[], now: readonly ApiIndexSignature[], path: string, container: "class" | "interface", pair: TypePair | undefined): void {
    const checker = this.checker;
    const infoOf = (type: ts.Type | undefined, keyType: string) => (checker && type ? checker.getIndexInfosOfType(type).find((info) => checker.typeToString(info.keyType) === keyType) : undefined);
    for (const keyType of unionOfKeys(Object.fromEntries(old.map((index) => [index.keyType, index])), Object.fromEntries(now.map((index) => [index.keyType, index])))) {
      const before = old.find((index) => index.keyType === keyType);
      const after = now.find((index) => index.keyType === keyType);
      const symbol = `${path}[${keyType}]`;
      const key = indexSignatureKey(path, keyType);
      if (before && !after) {
        this.report({ kind: "index-signature-removed", symbol, verdict: { classification: "breaking", proof: "proven" }, at: { key: path }, message: `the index signature [key: ${keyType}] of '${path}' was removed: indexed access with other keys fails to compile` });
        continue;
      }
      if (!before && after) {
        this.report({ kind: "index-signature-added", symbol, verdict: { classification: "additive", proof: "proven" }, at: { key }, message: `'${path}' has a new index signature [key: ${keyType}]: ${after.type}` });
        continue;
      }
      if (!before || !after) continue;
      if (!before.readonly && after.readonly) this.report({ kind: "readonly-added", symbol, verdict: { classification: "breaking", proof: "proven" }, at: { key }, message: `the index signature [key: ${keyType}] of '${path}' is readonly now: indexed assignments fail to compile` });
      if (before.readonly && !after.readonly) this.report({ kind: "readonly-removed", symbol, verdict: { classification: "additive", proof: "proven" }, at: { key }, message: `the index signature [key: ${keyType}] of '${path}' is writable now` });
      if (before.type === after.type) continue;
      const { relation, proof } = this.relateTypes(infoOf(pair?.old, keyType)?.type, infoOf(pair?.new, keyType)?.type, before.type, after.type);
      const variance: Variance = container === "class" && before.readonly && after.readonly ? "out" : "inout";
      const verdict = verdictOf(relation, variance, proof);
      this.report({ kind: relation === "equivalent" ? "type-rewritten" : "index-signature-changed", symbol, verdict, at: { key }, message: `the value type of '${path}[${keyType}]' ${relationWords(relation)}: ${quoteType(before.type)} → ${quoteType(after.type)}` });
    }
  }

  /**
   * Exports that read the same while a type they use, which the contract does not export,
   * changed (hiddenTypes.ts). Each such export is related as a whole (value and type), which
   * also tells a change that cancels out (a member moved into a hidden base class) from one that
   * does not. Past `maxWholeRelations` exports the hidden type's own change decides, as a
   * heuristic: relating whole exports of a large library one after another is what costs.
   */
  private referencedTypes(): void {
    if (!this.comparison || this.hidden.length === 0) return;
    const comparison = this.comparison;
    const reported = new Set(this.changes.map((change) => change.symbol));
    const changedHidden = this.hidden.flatMap((type) => {
      const pair = comparison.pair(hiddenPath(type), "type");
      const relation = pair ? this.relation(pair.old, pair.new) : "changed";
      return relation === "equivalent" ? [] : [{ type, relation }];
    });
    if (changedHidden.length === 0) return;
    let related = 0;
    const visit = (entries: Record<string, ApiExport>, prefix: string) => {
      for (const [name, described] of Object.entries(entries)) {
        const path = memberPath(prefix, name);
        if (described.aliasOf !== undefined) continue;
        if (described.namespace) visit(described.namespace.exports, path);
        if (reported.has(path) || !lookup(this.oldApi, path)) continue;
        const text = JSON.stringify({ ...described, namespace: undefined });
        const cause = changedHidden.find(({ type }) => mentions(text, type.name));
        if (!cause) continue;
        const pairs = (["value", "type"] as const).flatMap((meaning) => {
          const pair = comparison.pair(path, meaning);
          return pair ? [{ pair, variance: (meaning === "value" ? "out" : "inout") as Variance }] : [];
        });
        let verdict: Verdict;
        let relation: Relation;
        if (pairs.length > 0 && related < maxWholeRelations) {
          related++;
          const judged = pairs.map(({ pair, variance }) => {
            const whole = this.relation(pair.old, pair.new);
            return { relation: whole, verdict: verdictOf(whole, variance) };
          });
          ({ relation, verdict } = judged.sort((a, b) => rankOf(b.verdict) - rankOf(a.verdict))[0]);
        } else {
          relation = cause.relation;
          verdict = verdictOf(cause.relation, "inout", "heuristic");
        }
        if (verdict.classification === "internal") continue;
        this.withRelease(releaseOf(described, described.function?.signatures), () =>
          this.report({
            kind: "referenced-type-changed",
            symbol: path,
            verdict,
            at: { key: path },
            message: `'${path}' reads the same, but '${cause.type.name}', a type it uses that the contract does not export, changed, and its type ${relationWords(relation)}`,
          }),
        );
      }
    };
    visit(this.current.api.exports, "");
  }

  private relation(oldType: ts.Type, newType: ts.Type): Relation {
    return this.relateTypes(oldType, newType, "", "x").relation;
  }

  private property(type: ts.Type, name: string): ts.Symbol | undefined {
    const checker = this.checker;
    if (!checker) return undefined;
    if (!name.startsWith("[")) return checker.getPropertyOfType(type, name);
    return checker.getPropertiesOfType(type).find((property) => {
      const declaration = property.declarations?.[0] as ts.NamedDeclaration | undefined;
      const declared = declaration?.name;
      return declared !== undefined && declared.getText() === name;
    });
  }

  private signatureTypes(pair: TypePair | undefined, kind: "call" | "new", signatureKind: 0 | 1 = kind === "call" ? 0 : 1): { oldTypes?: readonly ts.Signature[]; newTypes?: readonly ts.Signature[] } {
    if (!pair || !this.checker) return {};
    return { oldTypes: publicSignatures(this.checker, pair.old, signatureKind), newTypes: publicSignatures(this.checker, pair.new, signatureKind) };
  }

  private withRelease(release: ReleaseTag | undefined, body: () => void): void {
    const outer = this.unstable;
    if (release && !this.unstable) this.unstable = release;
    try {
      body();
    } finally {
      this.unstable = outer;
    }
  }

  private resolveOld(described: ApiExport): ApiExport | undefined {
    return described.aliasOf === undefined ? described : lookup(this.oldApi, described.aliasOf);
  }

  private resolveNew(described: ApiExport): ApiExport | undefined {
    return described.aliasOf === undefined ? described : lookup(this.current.api, described.aliasOf);
  }

  private resolveOldAt(path: string): ApiExport | undefined {
    const found = lookup(this.oldApi, path);
    return found && this.resolveOld(found);
  }

  private resolveNewAt(path: string): ApiExport | undefined {
    const found = lookup(this.current.api, path);
    return found && this.resolveNew(found);
  }
}

/** A declaration's release tag; a function's or method's lives on its overloads, and counts when every overload has one (the least stable). */
function releaseOf(tags: { release?: ReleaseTag }, signatures: ReadonlyArray<{ release?: ReleaseTag }> | undefined): ReleaseTag | undefined {
  if (tags.release || !signatures || signatures.length === 0 || !signatures.every((signature) => signature.release)) return tags.release;
  return signatures.some((signature) => signature.release === "alpha") ? "alpha" : "beta";
}

/** How many exports the referenced-type check relates as a whole before it falls back to the hidden type's own change. */
export const maxWholeRelations = 20;

function rankOf(verdict: Verdict): number {
  return verdict.classification === "breaking" ? 2 : verdict.classification === "additive" ? 1 : 0;
}

/** The export at a dotted path (through namespaces). */
export function lookup(api: ApiSurface, path: string): ApiExport | undefined {
  let exports: Record<string, ApiExport> | undefined = api.exports;
  let found: ApiExport | undefined;
  for (const segment of splitPath(path)) {
    found = exports?.[segment];
    if (!found) return undefined;
    exports = found.namespace?.exports;
  }
  return found;
}

/** `a.b.c` → [a, b, c]; `export=` keeps its name. */
function splitPath(path: string): string[] {
  return path.split(".");
}

/** Probes for every path both sides have, by meaning (aliases resolved so `default` gets one too); `only`: just under these top-level names. */
export function collectProbes(oldApi: ApiSurface, newApi: ApiSurface, only?: ReadonlySet<string>): ProbeRequest[] {
  const probes: ProbeRequest[] = [];
  const resolve = (api: ApiSurface, described: ApiExport) => (described.aliasOf === undefined ? described : lookup(api, described.aliasOf));
  const visit = (oldExports: Record<string, ApiExport>, newExports: Record<string, ApiExport>, prefix: string) => {
    for (const name of Object.keys(oldExports).sort()) {
      if (!(name in newExports) || (prefix === "" && only && !only.has(name))) continue;
      const before = resolve(oldApi, oldExports[name]);
      const after = resolve(newApi, newExports[name]);
      if (!before || !after) continue;
      const path = memberPath(prefix, name);
      if (valueFacets.some((facet) => before[facet]) && valueFacets.some((facet) => after[facet])) probes.push({ path, meaning: "value", typeArguments: 0 });
      const oldType = typeFacets.find((facet) => before[facet]);
      const newType = typeFacets.find((facet) => after[facet]);
      const typeArguments = oldType && newType ? sharedTypeArgumentCount(before, oldType, after, newType) : undefined;
      if (typeArguments !== undefined) probes.push({ path, meaning: "type", typeArguments });
      if (before.namespace && after.namespace && oldExports[name].aliasOf === undefined) visit(before.namespace.exports, after.namespace.exports, path);
    }
  };
  visit(oldApi.exports, newApi.exports, "");
  return probes;
}

/**
 * How many type arguments both sides accept: at least what either requires, at most what either
 * has (`Box<T, U = string>` and `Box<T>` are both `Box<T0>`). None when no count fits both.
 */
function sharedTypeArgumentCount(before: ApiExport, oldFacet: (typeof typeFacets)[number], after: ApiExport, newFacet: (typeof typeFacets)[number]): number | undefined {
  const parametersOf = (described: ApiExport, facet: (typeof typeFacets)[number]) => (facet === "enum" ? [] : (described[facet]?.typeParameters ?? []));
  const oldParameters = parametersOf(before, oldFacet);
  const newParameters = parametersOf(after, newFacet);
  const required = Math.max(...[oldParameters, newParameters].map((parameters) => parameters.filter((parameter) => parameter.default === undefined).length));
  return required <= Math.min(oldParameters.length, newParameters.length) ? required : undefined;
}

function parentKey(key: string): string {
  const match = /^(.*)(?:\(\d+\)|<[^<>]*>|\[[^\]]*\]|#(?:call|new)\d+|\.[^.]*)$/.exec(key);
  return match ? match[1] : "";
}

function unionOfKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}


const facetWords: Record<string, string> = { class: "class", enum: "enum", function: "function", variable: "variable", interface: "interface", typeAlias: "type alias", namespace: "namespace" };

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function kindWords(described: ApiExport): string {
  const kinds = Object.keys(facetWords).filter((facet) => described[facet as keyof ApiExport] !== undefined).map((facet) => facetWords[facet]);
  return kinds.length === 0 ? "nothing" : kinds.map(article).join(" and ");
}

function baseConsequence(relation: Relation, verdict: Verdict): string {
  if (verdict.classification === "internal") return "; its members are the same";
  if (relation === "narrowed") return verdict.classification === "breaking" ? ": it has every member it had and more, which objects consumers build lack" : ": it has every member it had, and more";
  if (relation === "widened") return ": members it inherited are gone or changed, and code that uses them may no longer compile";
  return `: its type ${relationWords(relation)}`;
}

/** An object type literal written out from its description, for messages. */
function shapeText(shape: ApiObjectShape | undefined): string {
  const members = Object.entries(shape?.members ?? {}).map(([name, member]) =>
    member.kind === "method" ? `${name}(…)` : `${member.readonly ? "readonly " : ""}${name}${member.optional ? "?" : ""}: ${member.type ?? "unknown"}`,
  );
  return `{ ${members.join("; ")}${members.length > 0 ? "; " : ""}}`;
}

function propertyConsequence(relation: Relation, variance: Variance, verdict: Verdict): string {
  if (verdict.classification !== "breaking") return "";
  if (relation === "narrowed") return ": code that assigns it, or builds objects of this type, with values of the old type may no longer compile";
  if (relation === "widened") return ": code that reads it as the old type may no longer compile";
  return variance === "out" ? ": code that reads it may no longer compile" : ": code that reads or writes it may no longer compile";
}

function compareChanges(a: ContractChange, b: ContractChange): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
}

