/**
 * A contract's exported API, described through the type checker: every name the entry module
 * exports (re-exports, `export *` and `export =` resolved), with what a consumer can do with it.
 * The description is deterministic (sorted, types written by TypeText) and holds no path of
 * this machine, so the same code gives the same description everywhere; where each part is
 * declared is returned beside it, for diagnostics.
 */
import * as ts from "typescript";
import { rangeOf } from "../text";
import { normalizePath } from "../workspace/paths";
import { ContractError } from "./contractError";
import { docTagsOf, mergedDocTags, publicTags } from "./docTags";
import { indexSignatureKey, memberPath, parameterKey, signatureKey, typeParameterKey, type SignatureKind } from "./locationKeys";
import type {
  ApiClass,
  ApiEnum,
  ApiExport,
  ApiIndexSignature,
  ApiInterface,
  ApiMember,
  ApiObjectShape,
  ApiParameter,
  ApiSignature,
  ApiTypeAlias,
  ApiTypeParameter,
  ApiVariable,
  ChangeLocation,
  ExtractedContract,
} from "./model";
import { TypeText } from "./typeText";

/** The name an `export =` module's single export is described under. */
export const exportEqualsName = "export=";

/** One top-level export as extracted: its description, where its parts are declared, and the files it was read from. */
export interface ExtractedExport {
  description: ApiExport;
  /** The location keys of this export (all start with its name). */
  locations: ReadonlyMap<string, ChangeLocation>;
  /** Every file that declares something its description was read from (nested namespace members included). */
  files: ReadonlySet<string>;
}

export interface PartedContract extends ExtractedContract {
  /** Each top-level export on its own, by name: what an incremental extraction keeps between edits. */
  parts: Map<string, ExtractedExport>;
}

/**
 * `reuse`: an earlier extraction of a top-level export that the caller knows is still what this
 * program would give (nothing it was read from changed); undefined: describe it again. Which
 * names are exported, and the path each symbol is described at, are always worked out anew.
 */
export function extractContract(program: ts.Program, entryFile: string, reuse?: (name: string, symbol: ts.Symbol) => ExtractedExport | undefined): PartedContract {
  const sourceFile = program.getSourceFile(entryFile);
  if (!sourceFile) throw new ContractError("contract-entry-missing", `${entryFile} is not part of the TypeScript program (is it included by a tsconfig?)`);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  if (!moduleSymbol) throw new ContractError("contract-entry-missing", `${entryFile} is not a module: it has no import or export, so it exports nothing`);
  return new Extractor(checker, sourceFile).run(moduleSymbol, reuse);
}

class Extractor {
  private readonly text: TypeText;
  private readonly locations = new Map<string, ChangeLocation>();
  /** The one path each symbol is described at; every other path to it is an alias. */
  private readonly canonical = new Map<ts.Symbol, string>();
  /** The top-level export being described: its locations and the files it is read from. */
  private part: { locations: Map<string, ChangeLocation>; files: Set<string> } | undefined;

  constructor(
    private readonly checker: ts.TypeChecker,
    entry: ts.SourceFile,
  ) {
    this.text = new TypeText(checker, entry);
  }

  run(moduleSymbol: ts.Symbol, reuse?: (name: string, symbol: ts.Symbol) => ExtractedExport | undefined): PartedContract {
    const top = this.exportsOf(moduleSymbol);
    this.assignCanonicalPaths(top);
    const exports: Record<string, ApiExport> = {};
    const parts = new Map<string, ExtractedExport>();
    for (const [name, symbol] of top) {
      let part = reuse?.(name, symbol);
      if (part) for (const [key, location] of part.locations) this.locations.set(key, location);
      else {
        this.part = { locations: new Map(), files: new Set() };
        const description = this.describeExport(symbol, name);
        part = { description, ...this.part };
        this.part = undefined;
      }
      exports[name] = part.description;
      parts.set(name, part);
    }
    return { api: { exports }, locations: this.locations, parts };
  }

  private exportsOf(moduleSymbol: ts.Symbol): Array<[string, ts.Symbol]> {
    return moduleExportList(this.checker, moduleSymbol);
  }

  /** Breadth first, names sorted: a top-level name beats the same symbol inside a namespace. */
  private assignCanonicalPaths(top: Array<[string, ts.Symbol]>): void {
    let level = top.map(([name, symbol]) => ({ path: name, symbol }));
    while (level.length > 0) {
      const next: typeof level = [];
      for (const { path, symbol } of level) {
        if (this.canonical.has(symbol)) continue;
        this.canonical.set(symbol, path);
        if (isNamespace(symbol)) for (const [name, member] of this.exportsOf(symbol)) next.push({ path: memberPath(path, name), symbol: member });
      }
      level = next;
    }
  }

  private describeExports(entries: Array<[string, ts.Symbol]>, parent: string): Record<string, ApiExport> {
    const exports: Record<string, ApiExport> = {};
    for (const [name, symbol] of entries) exports[name] = this.describeExport(symbol, memberPath(parent, name));
    return exports;
  }

  private describeExport(symbol: ts.Symbol, path: string): ApiExport {
    for (const declaration of symbol.declarations ?? []) this.part?.files.add(normalizePath(declaration.getSourceFile().fileName));
    const canonical = this.canonical.get(symbol);
    if (canonical !== undefined && canonical !== path) return { aliasOf: canonical };
    const flags = symbol.flags;
    const description: ApiExport = {};
    const isFunctionLike = (flags & ts.SymbolFlags.Function) !== 0;
    // A function's tags belong to each overload; other kinds carry them on the name.
    Object.assign(description, publicTags(mergedDocTags(isFunctionLike ? nonSignatureDeclarations(symbol) : symbol.declarations)));
    this.locate(path, symbol.declarations?.[0]);
    if (isFunctionLike) description.function = { signatures: this.signaturesOf(this.checker.getTypeOfSymbol(symbol), ts.SignatureKind.Call, path, "call") };
    if (flags & ts.SymbolFlags.Class) description.class = this.describeClass(symbol, path);
    else if (flags & ts.SymbolFlags.Interface) description.interface = this.describeInterface(symbol, path);
    if (flags & ts.SymbolFlags.TypeAlias) description.typeAlias = this.describeTypeAlias(symbol, path);
    if (flags & ts.SymbolFlags.Enum) description.enum = this.describeEnum(symbol, path);
    if (flags & ts.SymbolFlags.Variable) description.variable = this.describeVariable(symbol);
    if (isNamespace(symbol) && !(flags & ts.SymbolFlags.Enum)) description.namespace = { exports: this.describeExports(this.exportsOf(symbol), path) };
    // `export default 42`, `export = { … }`: an expression, described by its type like a constant.
    if (Object.keys(description).every((key) => key === "release" || key === "deprecated")) description.variable = { declaration: "const", type: this.text.of(this.checker.getTypeOfSymbol(symbol)) };
    return description;
  }

  private describeClass(symbol: ts.Symbol, path: string): ApiClass {
    const declaration = symbol.declarations?.find(ts.isClassLike);
    const instanceType = this.checker.getDeclaredTypeOfSymbol(symbol);
    const description: ApiClass = {
      ...this.shapeOf(symbol.members, instanceType, symbol.declarations, path, false),
      constructors: this.signaturesOf(this.checker.getTypeOfSymbol(symbol), ts.SignatureKind.Construct, path, "new"),
    };
    const statics = this.shapeOf(undefined, this.checker.getTypeOfSymbol(symbol), symbol.declarations, path, true).members;
    if (statics) description.members = { ...description.members, ...statics };
    if (declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract) description.abstract = true;
    const typeParameters = this.typeParametersOf(declaration?.typeParameters, path);
    if (typeParameters) description.typeParameters = typeParameters;
    const base = instanceType.isClassOrInterface() ? this.checker.getBaseTypes(instanceType)[0] : undefined;
    if (base) description.extends = this.text.of(base);
    return description;
  }

  private describeInterface(symbol: ts.Symbol, path: string): ApiInterface {
    const description: ApiInterface = this.shapeOf(symbol.members, this.checker.getDeclaredTypeOfSymbol(symbol), symbol.declarations, path, false);
    const declarations = (symbol.declarations ?? []).filter(ts.isInterfaceDeclaration);
    const typeParameters = this.typeParametersOf(declarations[0]?.typeParameters, path);
    if (typeParameters) description.typeParameters = typeParameters;
    const type = this.checker.getDeclaredTypeOfSymbol(symbol);
    const bases = type.isClassOrInterface() ? this.checker.getBaseTypes(type).map((base) => this.text.of(base)) : [];
    if (bases.length > 0) description.extends = bases;
    return description;
  }

  private describeTypeAlias(symbol: ts.Symbol, path: string): ApiTypeAlias {
    const declaration = symbol.declarations?.find(ts.isTypeAliasDeclaration);
    if (!declaration) return { type: this.text.of(this.checker.getDeclaredTypeOfSymbol(symbol), true) };
    const description: ApiTypeAlias = ts.isTypeLiteralNode(declaration.type)
      ? { shape: this.shapeOf(this.checker.getTypeFromTypeNode(declaration.type).symbol?.members, this.checker.getTypeFromTypeNode(declaration.type), [declaration.type], path, false) }
      : { type: this.text.written(declaration.type) };
    const typeParameters = this.typeParametersOf(declaration.typeParameters, path);
    if (typeParameters) description.typeParameters = typeParameters;
    return description;
  }

  private describeEnum(symbol: ts.Symbol, path: string): ApiEnum {
    const members: Record<string, string | number | null> = {};
    symbol.exports?.forEach((member) => {
      const declaration = member.declarations?.find(ts.isEnumMember);
      if (!declaration || docTagsOf(declaration).internal) return;
      members[member.name] = this.checker.getConstantValue(declaration) ?? null;
      this.locate(memberPath(path, member.name), declaration);
    });
    return { ...(symbol.flags & ts.SymbolFlags.ConstEnum ? { const: true as const } : {}), members };
  }

  private describeVariable(symbol: ts.Symbol): ApiVariable {
    const declaration = symbol.declarations?.find(ts.isVariableDeclaration);
    const listFlags = declaration && ts.isVariableDeclarationList(declaration.parent) ? declaration.parent.flags : ts.NodeFlags.None;
    const kind = listFlags & ts.NodeFlags.Const ? "const" : listFlags & ts.NodeFlags.Let ? "let" : "var";
    const type = declaration?.type ? this.text.ofNode(declaration.type) : this.text.of(this.checker.getTypeOfSymbol(symbol));
    return { declaration: kind, type };
  }

  /**
   * Own members (inherited ones are the base's contract), signatures and index signatures of a
   * class, interface or type literal. Members come from the checker's properties of the type,
   * kept when declared in one of `owners`: that includes members named by a well-known or unique
   * symbol (`[Symbol.iterator]`), which are bound late and missing from the symbol table, and
   * leaves out a merged namespace's exports.
   */
  private shapeOf(table: ts.SymbolTable | undefined, type: ts.Type, owners: readonly ts.Node[] | undefined, path: string, statics: boolean): ApiObjectShape {
    const shape: ApiObjectShape = {};
    const call = table?.get(ts.InternalSymbolName.Call);
    const construct = table?.get(ts.InternalSymbolName.New);
    const index = table?.get(ts.InternalSymbolName.Index);
    if (call) shape.callSignatures = this.declaredSignatures(call, path, "call");
    if (construct) shape.constructSignatures = this.declaredSignatures(construct, path, "new");
    if (index) shape.indexSignatures = this.indexSignatures(index, path);
    const ownerSet = new Set(owners ?? []);
    const members: Record<string, ApiMember> = {};
    for (const member of this.checker.getPropertiesOfType(type)) {
      if (member.escapedName === "prototype" || !member.declarations?.some((declaration) => ownerSet.has(ownerOf(declaration)))) continue;
      const key = memberKey(member, statics);
      if (key === undefined) continue;
      const described = this.describeMember(member, memberPath(path, key), statics);
      if (described) members[key] = described;
    }
    if (Object.keys(members).length > 0) shape.members = members;
    return shape;
  }

  private describeMember(member: ts.Symbol, path: string, isStatic: boolean): ApiMember | undefined {
    const declaration = member.valueDeclaration ?? member.declarations?.[0];
    const tags = mergedDocTags(member.declarations);
    if (!declaration || tags.internal) return undefined;
    const modifiers = ts.getCombinedModifierFlags(declaration as ts.Declaration);
    const isMethod = (member.flags & ts.SymbolFlags.Method) !== 0;
    const description: ApiMember = { kind: isMethod ? "method" : "property", ...(isMethod ? {} : publicTags(tags)) };
    if (isStatic) description.static = true;
    this.locate(path, declaration);
    if (modifiers & ts.ModifierFlags.Private) return { ...description, visibility: "private" };
    if (modifiers & ts.ModifierFlags.Protected) description.visibility = "protected";
    if (modifiers & ts.ModifierFlags.Abstract) description.abstract = true;
    if (member.flags & ts.SymbolFlags.Optional) description.optional = true;
    const getterOnly = (member.flags & ts.SymbolFlags.GetAccessor) !== 0 && (member.flags & ts.SymbolFlags.SetAccessor) === 0;
    if (modifiers & ts.ModifierFlags.Readonly || getterOnly) description.readonly = true;
    // An optional method's type includes `undefined`, which has no signatures.
    if (isMethod) description.signatures = this.signaturesOf(this.checker.getNonNullableType(this.checker.getTypeOfSymbol(member)), ts.SignatureKind.Call, path, "call");
    else description.type = this.propertyType(member, declaration);
    return description;
  }

  private propertyType(member: ts.Symbol, declaration: ts.Node): string {
    const typeNode = ts.isGetAccessorDeclaration(declaration) || ts.isPropertyDeclaration(declaration) || ts.isPropertySignature(declaration) || ts.isParameter(declaration) ? declaration.type : undefined;
    if (typeNode) return this.text.ofNode(typeNode);
    const getter = member.declarations?.find(ts.isGetAccessorDeclaration);
    if (getter?.type) return this.text.ofNode(getter.type);
    return this.text.of(this.checker.getTypeOfSymbol(member));
  }

  private signaturesOf(type: ts.Type, kind: ts.SignatureKind, path: string, keyKind: SignatureKind): ApiSignature[] {
    return this.describeSignatures(this.checker.getSignaturesOfType(type, kind), path, keyKind);
  }

  private declaredSignatures(symbol: ts.Symbol, path: string, keyKind: SignatureKind): ApiSignature[] {
    const signatures = (symbol.declarations ?? []).flatMap((declaration) => {
      const signature = ts.isFunctionLike(declaration) ? this.checker.getSignatureFromDeclaration(declaration) : undefined;
      return signature ? [signature] : [];
    });
    return this.describeSignatures(signatures, path, keyKind);
  }

  /** `@internal` overloads are left out; the rest keep their order (overload resolution depends on it). */
  private describeSignatures(signatures: readonly ts.Signature[], path: string, keyKind: SignatureKind): ApiSignature[] {
    const described: ApiSignature[] = [];
    for (const signature of signatures) {
      const declaration = signature.getDeclaration() as ts.SignatureDeclaration | undefined;
      const tags = docTagsOf(declaration);
      if (tags.internal) continue;
      const key = signatureKey(path, keyKind, described.length);
      this.locate(key, declaration);
      described.push(this.describeSignature(signature, declaration, key, tags));
    }
    return described;
  }

  private describeSignature(signature: ts.Signature, declaration: ts.SignatureDeclaration | undefined, key: string, tags: ReturnType<typeof docTagsOf>): ApiSignature {
    const description: ApiSignature = { parameters: [], returns: "", ...publicTags(tags) };
    const typeParameters = this.typeParametersOf(declaration?.typeParameters, key);
    if (typeParameters) description.typeParameters = typeParameters;
    if (signature.thisParameter) {
      const thisDeclaration = signature.thisParameter.valueDeclaration;
      description.this = thisDeclaration && ts.isParameter(thisDeclaration) && thisDeclaration.type ? this.text.ofNode(thisDeclaration.type) : this.text.of(this.checker.getTypeOfSymbol(signature.thisParameter));
    }
    signature.getParameters().forEach((parameter, index) => {
      const parameterDeclaration = parameter.valueDeclaration && ts.isParameter(parameter.valueDeclaration) ? parameter.valueDeclaration : undefined;
      description.parameters.push(this.describeParameter(parameter, parameterDeclaration));
      this.locate(parameterKey(key, index), parameterDeclaration);
    });
    const predicate = this.checker.getTypePredicateOfSignature(signature);
    description.returns = predicate ? this.text.predicate(predicate) : declaration?.type && !ts.isTypePredicateNode(declaration.type) ? this.text.ofNode(declaration.type) : this.text.of(signature.getReturnType());
    return description;
  }

  private describeParameter(parameter: ts.Symbol, declaration: ts.ParameterDeclaration | undefined): ApiParameter {
    const type = declaration?.type ? this.text.ofNode(declaration.type) : this.text.of(this.checker.getTypeOfSymbol(parameter));
    const description: ApiParameter = { name: parameter.name, type };
    if (declaration) {
      if (declaration.dotDotDotToken) description.rest = true;
      else if (declaration.questionToken || declaration.initializer || this.checker.isOptionalParameter(declaration)) description.optional = true;
      if (declaration.initializer) description.hasDefault = true;
    }
    return description;
  }

  private typeParametersOf(declarations: readonly ts.TypeParameterDeclaration[] | undefined, owner: string): ApiTypeParameter[] | undefined {
    if (!declarations || declarations.length === 0) return undefined;
    return declarations.map((declaration) => {
      const description: ApiTypeParameter = { name: declaration.name.text };
      if (declaration.constraint) description.constraint = this.text.ofNode(declaration.constraint);
      if (declaration.default) description.default = this.text.ofNode(declaration.default);
      if (declaration.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ConstKeyword)) description.const = true;
      this.locate(typeParameterKey(owner, declaration.name.text), declaration);
      return description;
    });
  }

  private indexSignatures(symbol: ts.Symbol, path: string): ApiIndexSignature[] {
    return (symbol.declarations ?? []).filter(ts.isIndexSignatureDeclaration).map((declaration) => {
      const keyNode = declaration.parameters[0]?.type;
      const keyType = keyNode ? this.text.ofNode(keyNode) : "string";
      const description: ApiIndexSignature = { keyType, type: this.text.ofNode(declaration.type) };
      if (declaration.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ReadonlyKeyword)) description.readonly = true;
      this.locate(indexSignatureKey(path, keyType), declaration);
      return description;
    });
  }

  /** Where a part is declared: its name when it has one. The first declaration wins (a merged interface's first part). */
  private locate(key: string, declaration: ts.Node | undefined): void {
    if (!declaration || this.locations.has(key)) return;
    const node = (ts.isSourceFile(declaration) ? undefined : ts.getNameOfDeclaration(declaration as ts.Declaration)) ?? declaration;
    const sourceFile = node.getSourceFile();
    const start = ts.isSourceFile(node) ? 0 : node.getStart(sourceFile);
    const end = ts.isSourceFile(node) ? 0 : node.getEnd();
    const location = { file: normalizePath(sourceFile.fileName), range: rangeOf(sourceFile, start, end) };
    this.locations.set(key, location);
    this.part?.locations.set(key, location);
    this.part?.files.add(location.file);
  }
}

/** Name → resolved symbol, without `@internal` ones; `export =` under its own name unless it is a namespace whose members are the exports. Sorted by name. */
export function moduleExportList(checker: ts.TypeChecker, moduleSymbol: ts.Symbol): Array<[string, ts.Symbol]> {
  const entries: Array<[string, ts.Symbol]> = [];
  for (const exported of moduleExports(checker, moduleSymbol)) {
    const resolved = resolveAlias(checker, exported);
    if (!mergedDocTags(resolved.declarations).internal) entries.push([exported.name, resolved]);
  }
  const exportEquals = moduleSymbol.exports?.get(ts.InternalSymbolName.ExportEquals);
  if (exportEquals) {
    const target = resolveAlias(checker, exportEquals);
    const isPlainNamespace = (target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) !== 0 && (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable)) === 0;
    if (!isPlainNamespace && !entries.some(([, symbol]) => symbol === target)) entries.push([exportEqualsName, target]);
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A namespace merged with a class, function or enum: its exports are read from the symbol's own
 * table. `checker.getExportsOfModule` would cache a table without the late-bound statics
 * (`static [Symbol.iterator]`) as the symbol's resolved exports, and the class would lose them.
 */
function moduleExports(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol[] {
  if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Function | ts.SymbolFlags.Enum | ts.SymbolFlags.Interface))) return checker.getExportsOfModule(symbol);
  const members: ts.Symbol[] = [];
  symbol.exports?.forEach((member) => {
    if (member.declarations?.some(isNamespaceMember)) members.push(member);
  });
  return members;
}

function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The class, interface or type literal a member is declared in (a constructor's parameter property: its class). */
function ownerOf(declaration: ts.Node): ts.Node {
  return ts.isParameter(declaration) && ts.isConstructorDeclaration(declaration.parent) ? declaration.parent.parent : declaration.parent;
}

/** Declared in a namespace body (not a class body: a class's statics share the symbol's export table). */
function isNamespaceMember(declaration: ts.Node): boolean {
  for (let node = declaration.parent; node; node = node.parent) {
    if (ts.isModuleBlock(node)) return true;
    if (ts.isClassLike(node) || ts.isSourceFile(node)) return false;
  }
  return false;
}

function isNamespace(symbol: ts.Symbol): boolean {
  return (symbol.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) !== 0 && (symbol.exports?.size ?? 0) > 0;
}

/** A function's tags live on its overloads; a merged namespace or interface carries its own. */
function nonSignatureDeclarations(symbol: ts.Symbol): ts.Declaration[] {
  return (symbol.declarations ?? []).filter((declaration) => !ts.isFunctionLike(declaration));
}

/**
 * The key a member is described under: its name, or `[Symbol.iterator]` for a well-known symbol
 * (the escaped name holds a symbol id, which differs between runs); `static <name>` for statics.
 * ECMAScript private members (`#name`) are invisible outside the class: no key.
 */
function memberKey(member: ts.Symbol, statics: boolean): string | undefined {
  const declaration = member.declarations?.[0];
  const name = declaration ? ts.getNameOfDeclaration(declaration) : undefined;
  if (name && ts.isPrivateIdentifier(name)) return undefined;
  let key = member.name;
  if (name && ts.isComputedPropertyName(name)) key = ts.isStringLiteralLike(name.expression) || ts.isNumericLiteral(name.expression) ? name.expression.text : `[${name.expression.getText()}]`;
  else if (key.startsWith("__@") || key.startsWith("__#")) return undefined;
  return statics ? `static ${key}` : key;
}
