/**
 * What a consumer of a contract must do about each kind of breaking change: the second half of a
 * migration note ("what changed, what consumers must do"). One sentence per kind, in the words
 * of someone updating their code; kinds that never break anyone have nothing to ask.
 */
import type { ChangeKind } from "./changeKinds";
import type { Classification } from "./model";

const actions: Partial<Record<ChangeKind, string>> = {
  "export-removed": "stop importing it; use its replacement if the contract names one (a renamed export has the same shape under its new name).",
  "export-kind-changed": "update the uses that relied on its old kind (a class used with `new`, an interface used as a value).",
  "referenced-type-changed": "recompile: a type it refers to changed; fix the uses the compiler reports.",
  "required-parameter-added": "pass the new argument at every call.",
  "parameter-removed": "stop passing the removed argument.",
  "parameter-made-required": "pass the argument at every call that left it out.",
  "parameter-type-narrowed": "pass only values of the new, narrower type.",
  "parameter-type-changed": "pass values of the new type.",
  "rest-parameter-removed": "pass no more arguments than the parameters listed.",
  "return-type-widened": "handle the new values the result can have (narrow it before using it as the old type).",
  "return-type-changed": "use the result as the new type.",
  "overload-removed": "call it with the arguments of a remaining overload.",
  "required-type-parameter-added": "pass the new type argument where type arguments are written explicitly.",
  "type-parameter-removed": "drop the removed type argument.",
  "type-parameter-constraint-tightened": "use type arguments that meet the new constraint.",
  "type-parameter-constraint-changed": "use type arguments that meet the new constraint.",
  "type-parameter-default-changed": "pass the old default explicitly where the old type is needed.",
  "property-removed": "stop reading and writing the property.",
  "method-removed": "stop calling the method.",
  "required-property-added": "add the property to the objects you build of this type.",
  "required-method-added": "implement the method in your implementations.",
  "abstract-member-added": "implement the member in your subclasses.",
  "property-made-required": "set the property in the objects you build.",
  "property-made-optional": "handle `undefined` where you read the property.",
  "property-type-narrowed": "assign only values of the narrower type.",
  "property-type-widened": "handle the new values where you read the property.",
  "property-type-changed": "read and write the property as its new type.",
  "readonly-added": "stop assigning to the property.",
  "visibility-reduced": "stop using the member outside the class (and its subclasses, if it became private).",
  "abstract-added": "subclass it (and implement the abstract members) instead of instantiating it.",
  "member-kind-changed": "use it as its new kind (call the method, or read the property).",
  "index-signature-removed": "stop indexing it with arbitrary keys.",
  "index-signature-changed": "read and write indexed values as the new type.",
  "base-type-changed": "recompile: what it inherits changed; fix the uses the compiler reports.",
  "enum-member-removed": "stop using the removed member (and migrate stored values of it).",
  "enum-value-changed": "migrate values stored or sent elsewhere to the new value.",
  "enum-made-const": "stop using the enum as a run-time object (iterating it, passing it around).",
  "variable-type-widened": "handle the new values where you read it.",
  "variable-type-changed": "use it as its new type.",
  "type-alias-narrowed": "build only values of the narrower type.",
  "type-alias-widened": "handle the new values where you read values of this type.",
  "type-alias-changed": "use values of the new type.",
  "type-no-longer-any": "fix the uses the compiler now checks.",
  "release-tag-changed": "treat it as less stable: pin the version, or stop depending on it.",
  "schema-property-removed": "stop reading the property; stop sending it if additional properties are not allowed.",
  "schema-required-added": "send the property in every document.",
  "schema-type-narrowed": "send only values of the remaining JSON types.",
  "schema-type-changed": "send values of the new JSON type.",
  "schema-enum-value-removed": "stop sending the removed value (and migrate stored documents).",
  "schema-constraint-tightened": "send only values that meet the new constraint.",
  "schema-additional-properties-restricted": "stop sending properties the schema does not list.",
  "schema-ref-changed": "validate against the new referenced schema.",
};

/** A kind that is usually additive can break in a position (a wider parameter of an interface method breaks its implementations): then the compiler says where. */
export function consumerAction(change: { kind: ChangeKind; classification: Classification }): string {
  const specific = actions[change.kind];
  if (specific) return specific;
  return change.classification === "breaking" ? "recompile, and fix the uses the compiler reports." : "nothing is required; recompile to pick it up.";
}

/** The kinds with a specific action (for tests: every breaking kind has one). */
export function kindsWithAction(): ChangeKind[] {
  return Object.keys(actions) as ChangeKind[];
}
