/**
 * Every kind of contract change, by its stable id (docs/contracts.md has the same table with the
 * reasons). A kind's classification is fixed unless `decidedBy` says the checker or the position
 * decides it; the SARIF output lists these as rules.
 */
import type { Classification } from "./model";

export interface ChangeKindInfo {
  /** What the kind usually is; `decidedBy` says when it differs. */
  classification: Classification;
  summary: string;
}

const kinds = {
  "export-removed": { classification: "breaking", summary: "An exported name is gone: imports of it fail." },
  "export-added": { classification: "additive", summary: "A new exported name." },
  "export-kind-changed": { classification: "breaking", summary: "An export lost its value or type meaning (a class became an interface); a change of declaration kind that keeps both is decided by the checker." },
  "referenced-type-changed": { classification: "breaking", summary: "The export reads the same, but a type it refers to (not itself exported) changed; decided by the checker." },
  "required-parameter-added": { classification: "breaking", summary: "A new required parameter: existing calls pass too few arguments." },
  "optional-parameter-added": { classification: "additive", summary: "A new optional parameter: existing calls still work." },
  "parameter-removed": { classification: "breaking", summary: "A parameter is gone: calls that pass it have too many arguments." },
  "parameter-made-required": { classification: "breaking", summary: "An optional parameter became required: calls that omit it fail." },
  "parameter-made-optional": { classification: "additive", summary: "A required parameter became optional." },
  "parameter-type-narrowed": { classification: "breaking", summary: "A parameter accepts fewer values: calls with the others fail." },
  "parameter-type-widened": { classification: "additive", summary: "A parameter accepts more values (breaking for interface methods: implementations receive them)." },
  "parameter-type-changed": { classification: "breaking", summary: "A parameter's type changed to one neither wider nor narrower." },
  "parameter-renamed": { classification: "internal", summary: "A parameter's name changed; calls are positional." },
  "rest-parameter-added": { classification: "additive", summary: "A parameter became a rest parameter, or one was added: calls accept more arguments." },
  "rest-parameter-removed": { classification: "breaking", summary: "A rest parameter is gone or fixed: calls that pass more arguments fail." },
  "return-type-widened": { classification: "breaking", summary: "A return type allows more values: code that uses the result as the old type fails." },
  "return-type-narrowed": { classification: "additive", summary: "A return type allows fewer values (breaking for interface methods: implementations must return less)." },
  "return-type-changed": { classification: "breaking", summary: "A return type changed to one neither wider nor narrower." },
  "overload-removed": { classification: "breaking", summary: "An overload is gone; internal when another overload accepts every call it did (checker)." },
  "overload-added": { classification: "additive", summary: "A new overload." },
  "required-type-parameter-added": { classification: "breaking", summary: "A type parameter without a default: explicit type arguments no longer match (heuristic for functions, whose callers usually infer)." },
  "optional-type-parameter-added": { classification: "additive", summary: "A type parameter with a default." },
  "type-parameter-removed": { classification: "breaking", summary: "A type parameter is gone: explicit type arguments are too many." },
  "type-parameter-constraint-tightened": { classification: "breaking", summary: "A type parameter's constraint accepts fewer types: type arguments that met it may not." },
  "type-parameter-constraint-loosened": { classification: "additive", summary: "A type parameter's constraint accepts more types." },
  "type-parameter-constraint-changed": { classification: "breaking", summary: "A type parameter's constraint changed to one neither looser nor tighter." },
  "type-parameter-default-changed": { classification: "breaking", summary: "A type parameter's default changed: code that omits the argument gets another type." },
  "property-removed": { classification: "breaking", summary: "A property is gone: reads and writes of it fail." },
  "method-removed": { classification: "breaking", summary: "A method is gone: calls of it fail." },
  "property-added": { classification: "additive", summary: "A new optional property of an interface, or a new property of a class." },
  "method-added": { classification: "additive", summary: "A new optional method of an interface, or a new method of a class." },
  "required-property-added": { classification: "breaking", summary: "A new required property of an interface or object type: objects consumers build lack it." },
  "required-method-added": { classification: "breaking", summary: "A new required method of an interface: implementations lack it." },
  "abstract-member-added": { classification: "breaking", summary: "A new abstract member: subclasses do not implement it." },
  "property-made-required": { classification: "breaking", summary: "An optional property became required: objects without it fail (additive for a readonly class property)." },
  "property-made-optional": { classification: "breaking", summary: "A required property became optional: readers now get undefined." },
  "property-type-narrowed": { classification: "breaking", summary: "A property allows fewer values: writes and object literals of the others fail (additive for a readonly class property)." },
  "property-type-widened": { classification: "breaking", summary: "A property allows more values: reads typed as the old type fail." },
  "property-type-changed": { classification: "breaking", summary: "A property's type changed to one neither wider nor narrower." },
  "readonly-added": { classification: "breaking", summary: "A property became readonly: assignments to it fail." },
  "readonly-removed": { classification: "additive", summary: "A readonly property became writable." },
  "visibility-reduced": { classification: "breaking", summary: "A member became protected or private: uses outside the class (or subclasses) fail." },
  "visibility-increased": { classification: "additive", summary: "A member became more visible." },
  "abstract-added": { classification: "breaking", summary: "A class or member became abstract: `new` and subclasses without it fail." },
  "abstract-removed": { classification: "additive", summary: "A class or member is no longer abstract." },
  "member-kind-changed": { classification: "breaking", summary: "A property became a method or the reverse; decided by the checker." },
  "member-inherited": { classification: "internal", summary: "A member moved to a base type; decided by the checker (internal when its type is the same)." },
  "index-signature-removed": { classification: "breaking", summary: "An index signature is gone: indexed access fails." },
  "index-signature-added": { classification: "additive", summary: "A new index signature." },
  "index-signature-changed": { classification: "breaking", summary: "An index signature's value type changed; decided by the checker and the position." },
  "base-type-changed": { classification: "breaking", summary: "A class's or interface's base type changed; decided by the checker." },
  "enum-member-removed": { classification: "breaking", summary: "An enum member is gone: references to it fail." },
  "enum-member-added": { classification: "additive", summary: "A new enum member." },
  "enum-value-changed": { classification: "breaking", summary: "An enum member's value changed: values stored or sent elsewhere no longer match." },
  "enum-made-const": { classification: "breaking", summary: "An enum became a const enum: it no longer exists at run time." },
  "enum-no-longer-const": { classification: "additive", summary: "A const enum became a regular enum." },
  "variable-type-widened": { classification: "breaking", summary: "An exported variable allows more values: reads typed as the old type fail." },
  "variable-type-narrowed": { classification: "additive", summary: "An exported variable allows fewer values (importers cannot assign to it)." },
  "variable-type-changed": { classification: "breaking", summary: "An exported variable's type changed to one neither wider nor narrower." },
  "variable-declaration-changed": { classification: "internal", summary: "`const` / `let` / `var` changed: importers cannot assign to an import either way." },
  "type-alias-narrowed": { classification: "breaking", summary: "A type alias allows fewer values: values consumers build may not fit." },
  "type-alias-widened": { classification: "breaking", summary: "A type alias allows more values: code that reads them as the old type fails." },
  "type-alias-changed": { classification: "breaking", summary: "A type alias changed to a type neither wider nor narrower." },
  "type-rewritten": { classification: "internal", summary: "A type is written differently but the checker finds it the same." },
  "type-made-any": { classification: "additive", summary: "A type became `any`: nothing fails to compile, but checking is lost." },
  "type-no-longer-any": { classification: "breaking", summary: "An `any` became a real type: code that relied on `any` may fail." },
  "deprecated-added": { classification: "additive", summary: "Marked `@deprecated`." },
  "deprecated-removed": { classification: "internal", summary: "No longer `@deprecated`." },
  "release-tag-changed": { classification: "breaking", summary: "The release tag changed: to a less stable one (public → beta → alpha) is breaking, to a more stable one additive." },
  "schema-property-removed": { classification: "breaking", summary: "A schema property is gone: readers lose it (and documents with it fail when additional properties are not allowed)." },
  "schema-property-added": { classification: "additive", summary: "A new optional schema property." },
  "schema-required-added": { classification: "breaking", summary: "A property became required: documents without it fail." },
  "schema-required-removed": { classification: "additive", summary: "A property is no longer required." },
  "schema-type-narrowed": { classification: "breaking", summary: "A schema allows fewer JSON types: documents with the others fail." },
  "schema-type-widened": { classification: "additive", summary: "A schema allows more JSON types." },
  "schema-type-changed": { classification: "breaking", summary: "A schema's JSON type changed." },
  "schema-enum-value-removed": { classification: "breaking", summary: "An allowed value is gone: documents with it fail." },
  "schema-enum-value-added": { classification: "additive", summary: "A new allowed value." },
  "schema-constraint-tightened": { classification: "breaking", summary: "A constraint (minimum, maxLength, pattern, …) was added or made stricter: documents that met it may not." },
  "schema-constraint-loosened": { classification: "additive", summary: "A constraint was removed or relaxed." },
  "schema-additional-properties-restricted": { classification: "breaking", summary: "`additionalProperties: false` (or a schema) was added: documents with other properties fail." },
  "schema-additional-properties-allowed": { classification: "additive", summary: "Other properties are allowed again." },
  "schema-ref-changed": { classification: "breaking", summary: "A `$ref` points elsewhere; the target is compared only by name." },
  "mirror-field-missing": { classification: "breaking", summary: "The schema has a property the TypeScript type lacks." },
  "mirror-field-extra": { classification: "breaking", summary: "The TypeScript type has a property the schema does not allow." },
  "mirror-type-mismatch": { classification: "breaking", summary: "A property's TypeScript type does not match its schema type." },
  "mirror-optionality-mismatch": { classification: "breaking", summary: "A property is required on one side and optional on the other." },
} satisfies Record<string, ChangeKindInfo>;

export type ChangeKind = keyof typeof kinds;

export const changeKinds: Readonly<Record<ChangeKind, ChangeKindInfo>> = kinds;

export const changeKindIds = Object.keys(kinds) as ChangeKind[];

/** Stable ids of the contract findings (docs/messages.md, "Contract messages"); the kind is in the message and data. */
export const contractFindingIds = ["contract-breaking", "contract-additive", "contract-internal", "contract-version-bump", "contract-mirror-drift"] as const;
export type ContractFindingId = (typeof contractFindingIds)[number];

/** The finding id a change is shown under: mirror drift has its own, the rest go by classification. */
export function findingIdOf(change: { kind: ChangeKind; classification: Classification }): ContractFindingId {
  if (change.kind.startsWith("mirror-")) return "contract-mirror-drift";
  return `contract-${change.classification}`;
}
