/**
 * The vocabulary of contract drift: what an API contract's description looks like (the `api` of
 * a baseline, see docs/contracts.md), and what a difference between a baseline and the current
 * code is. Every description is plain JSON: it is written to `.selfheal/contracts/<name>.json`
 * and compared as data, so nothing here may hold a path of this machine or a TypeScript object.
 */
import type { Range } from "../findings";
import type { ChangeKind } from "./changeKinds";

/** `@public` is the default and is not written; `@internal` declarations are left out of the contract. */
export type ReleaseTag = "beta" | "alpha";

export interface ApiDocTags {
  release?: ReleaseTag;
  /** The `@deprecated` tag's text ("" when it has none). */
  deprecated?: string;
}

export interface ApiTypeParameter {
  name: string;
  constraint?: string;
  default?: string;
  /** `const T` (TypeScript 5.0): inference keeps literal types. */
  const?: true;
}

export interface ApiParameter {
  name: string;
  /** The declared type, without the `undefined` an optional parameter adds. */
  type: string;
  optional?: true;
  rest?: true;
  /** Has an initializer (optional to callers; the default is not part of the type). */
  hasDefault?: true;
}

export interface ApiSignature extends ApiDocTags {
  typeParameters?: ApiTypeParameter[];
  /** A declared `this` parameter's type. */
  this?: string;
  parameters: ApiParameter[];
  /** The return type; a type predicate as written (`value is string`, `asserts value`). */
  returns: string;
}

export type Visibility = "protected" | "private";

export interface ApiMember extends ApiDocTags {
  kind: "property" | "method";
  /** Absent: public. Private members are listed by name only: they are part of no consumer's code, but a public member made private is a break. */
  visibility?: Visibility;
  static?: true;
  /** `readonly`, or a getter without a setter. */
  readonly?: true;
  optional?: true;
  abstract?: true;
  /** A property's type (absent for private members). */
  type?: string;
  /** A method's overloads (absent for private members). */
  signatures?: ApiSignature[];
}

export interface ApiIndexSignature {
  keyType: string;
  type: string;
  readonly?: true;
}

/** The members of an interface, a class, or an object type literal. */
export interface ApiObjectShape {
  /** Keyed by name; a class's static members by `static <name>`. */
  members?: Record<string, ApiMember>;
  callSignatures?: ApiSignature[];
  constructSignatures?: ApiSignature[];
  indexSignatures?: ApiIndexSignature[];
}

export interface ApiFunction {
  signatures: ApiSignature[];
}

export interface ApiClass extends ApiObjectShape {
  abstract?: true;
  typeParameters?: ApiTypeParameter[];
  /** The base class, as a type (`Base<string>`). */
  extends?: string;
  constructors: ApiSignature[];
}

export interface ApiInterface extends ApiObjectShape {
  typeParameters?: ApiTypeParameter[];
  extends?: string[];
}

export interface ApiTypeAlias {
  typeParameters?: ApiTypeParameter[];
  /** The aliased type, written out; absent when `shape` describes it. */
  type?: string;
  /** An alias of an object type literal is described member by member, like an interface. */
  shape?: ApiObjectShape;
}

export interface ApiEnum {
  const?: true;
  /** Member name → its constant value (null: computed at run time). */
  members: Record<string, string | number | null>;
}

export interface ApiVariable {
  declaration: "const" | "let" | "var";
  type: string;
}

export interface ApiNamespace {
  exports: Record<string, ApiExport>;
}

/**
 * One exported name. A name can carry several meanings at once (a `const` and an `interface`
 * of the same name, a function merged with a namespace), so each kind is its own optional facet.
 * A symbol reachable under several names is described once, at its first path in sorted order;
 * the others say `aliasOf` that path.
 */
export interface ApiExport extends ApiDocTags {
  aliasOf?: string;
  function?: ApiFunction;
  class?: ApiClass;
  interface?: ApiInterface;
  typeAlias?: ApiTypeAlias;
  enum?: ApiEnum;
  variable?: ApiVariable;
  namespace?: ApiNamespace;
}

export interface ApiSurface {
  exports: Record<string, ApiExport>;
}

export type Facet = "function" | "class" | "interface" | "typeAlias" | "enum" | "variable" | "namespace";
export const facets: readonly Facet[] = ["function", "class", "interface", "typeAlias", "enum", "variable", "namespace"];

/** The declaration files an API contract's types are re-checked with (see declarations.ts). */
export interface DeclarationBundle {
  /** The entry's declaration file, a key of `files`. */
  entry: string;
  /** Path (relative to the folder that holds them all, forward slashes) → declaration text. */
  files: Record<string, string>;
}

export type Classification = "breaking" | "additive" | "internal";
export type Proof = "proven" | "heuristic";

export const classificationRank: Record<Classification, number> = { breaking: 2, additive: 1, internal: 0 };

/** Where a difference is shown: the current source, or the baseline file for what is gone. */
export interface ChangeLocation {
  /** Absolute, normalized path. */
  file: string;
  /** 0-based, like every engine position. */
  range: Range;
}

/** One difference between a contract's baseline and its current state. */
export interface ContractChange {
  contract: string;
  /** Dotted path of the symbol (`parse`, `Options.strict`, `Parser.static create`, `ns.helper`); for schemas, the property path. */
  symbol: string;
  /** Stable id of the rule (docs/contracts.md), e.g. `export-removed`. */
  kind: ChangeKind;
  classification: Classification;
  /** `proven`: TypeScript's checker (or the schema's semantics) decided; `heuristic`: a documented rule about how consumers use it did. */
  proof: Proof;
  /** Absolute path: the current source, or for a removal the baseline file. */
  file: string;
  /** 1-based, for people; `range` is the 0-based span for editors. */
  line: number;
  range: Range;
  /** Plain words: what changed, and why it matters to consumers. */
  message: string;
}

/** A described contract ready to be compared or written (the current side of a diff). */
export interface ExtractedContract {
  api: ApiSurface;
  /** Location key (see locationKeys.ts) → where it is declared in the current source. */
  locations: Map<string, ChangeLocation>;
}
