/**
 * Drift of a data contract: a JSON Schema file against its baseline. The rule is backward
 * compatibility as schema registries define it: a document valid under the baseline must stay
 * valid (so a new required property, a removed enum value, a tighter constraint break), plus one
 * for readers: a documented property must not disappear. Changes are located in the current
 * schema file (a removed part at its nearest surviving parent).
 *
 * `proven`: the rule follows from JSON Schema's semantics (some previously valid document is
 * now invalid, or none is); `heuristic`: it cannot be decided from the two schemas alone (two
 * regular expressions, a `$ref` that points elsewhere, `format`, which validators may ignore).
 */
import type { ChangeKind } from "./changeKinds";
import type { JsonDocument } from "./jsonPositions";
import { pointerOf } from "./jsonPositions";
import type { Classification, ContractChange, Proof } from "./model";

export interface SchemaDiffInput {
  contract: string;
  /** The baseline's schema (the `document` of the baseline file). */
  baseline: unknown;
  /** Absolute path of the current schema file, and its parse with positions. */
  file: string;
  current: JsonDocument;
}

type Schema = Record<string, unknown> | boolean;

export function diffSchemas(input: SchemaDiffInput): ContractChange[] {
  const changes: ContractChange[] = [];
  const report = (kind: ChangeKind, classification: Classification, proof: Proof, pointer: readonly (string | number)[], symbol: string, message: string) => {
    const range = input.current.rangeOf(pointerOf(pointer));
    changes.push({ contract: input.contract, symbol: symbol || "(root)", kind, classification, proof, file: input.file, line: range.start.line + 1, range, message });
  };
  compareSchema(asSchema(input.baseline), asSchema(input.current.value), [], "", report);
  return changes.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

type Report = (kind: ChangeKind, classification: Classification, proof: Proof, pointer: readonly (string | number)[], symbol: string, message: string) => void;

function asSchema(value: unknown): Schema {
  if (typeof value === "boolean") return value;
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const jsonTypes = ["array", "boolean", "integer", "null", "number", "object", "string"];

function typesOf(schema: Record<string, unknown>): string[] {
  const written = schema.type;
  const listed = typeof written === "string" ? [written] : Array.isArray(written) ? written.filter((type): type is string => typeof type === "string") : jsonTypes;
  // OpenAPI 3.0's `nullable: true` adds null.
  return schema.nullable === true && !listed.includes("null") ? [...listed, "null"] : listed;
}

function allows(types: readonly string[], type: string): boolean {
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

function describePath(symbol: string): string {
  return symbol === "" ? "the document" : `'${symbol}'`;
}

function compareSchema(before: Schema, after: Schema, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  if (typeof before === "boolean" || typeof after === "boolean") {
    if (before === after) return;
    if (after === false) report("schema-constraint-tightened", "breaking", "proven", pointer, symbol, `${describePath(symbol)} allows nothing now (\`false\`): every value there fails`);
    else if (before === false) report("schema-constraint-loosened", "additive", "proven", pointer, symbol, `${describePath(symbol)} allows values now (was \`false\`: nothing)`);
    else if (after === true) report("schema-constraint-loosened", "additive", "proven", pointer, symbol, `${describePath(symbol)} allows anything now (\`true\`)`);
    else report("schema-constraint-tightened", "breaking", "heuristic", pointer, symbol, `${describePath(symbol)} has a schema now (was \`true\`: anything)`);
    return;
  }
  compareTypes(before, after, pointer, symbol, report);
  compareValues(before, after, pointer, symbol, report);
  compareConstraints(before, after, pointer, symbol, report);
  compareObject(before, after, pointer, symbol, report);
  compareArray(before, after, pointer, symbol, report);
  compareCombinators(before, after, pointer, symbol, report);
  if (typeof before.$ref === "string" || typeof after.$ref === "string") {
    if (before.$ref !== after.$ref) report("schema-ref-changed", "breaking", "heuristic", [...pointer, "$ref"], symbol, `${describePath(symbol)} refers to ${JSON.stringify(after.$ref ?? null)} now (was ${JSON.stringify(before.$ref ?? null)}); the two are not compared`);
  }
  for (const definitions of ["$defs", "definitions"]) {
    const oldDefinitions = before[definitions];
    const newDefinitions = after[definitions];
    if (!isRecord(oldDefinitions) || !isRecord(newDefinitions)) continue;
    for (const name of Object.keys(oldDefinitions).sort()) {
      if (name in newDefinitions) compareSchema(asSchema(oldDefinitions[name]), asSchema(newDefinitions[name]), [...pointer, definitions, name], `${definitions}.${name}`, report);
    }
  }
}

function compareTypes(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  const oldTypes = typesOf(before);
  const newTypes = typesOf(after);
  const lost = oldTypes.filter((type) => !allows(newTypes, type));
  const gained = newTypes.filter((type) => !allows(oldTypes, type));
  if (lost.length === 0 && gained.length === 0) return;
  const at = after.type !== undefined ? [...pointer, "type"] : [...pointer];
  const written = (types: readonly string[]) => (types.length === jsonTypes.length ? "any type" : types.join(" | "));
  const words = `${written(oldTypes)} → ${written(newTypes)}`;
  if (gained.length === 0) report("schema-type-narrowed", "breaking", "proven", at, symbol, `${describePath(symbol)} allows fewer JSON types (${words}): documents with ${lost.join(" or ")} there fail`);
  else if (lost.length === 0) report("schema-type-widened", "additive", "proven", at, symbol, `${describePath(symbol)} allows more JSON types (${words})`);
  else report("schema-type-changed", "breaking", "proven", at, symbol, `the JSON type of ${describePath(symbol)} changed (${words}): documents with ${lost.join(" or ")} there fail`);
}

/** `enum` and `const`: the set of allowed values. */
function compareValues(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  const valuesOf = (schema: Record<string, unknown>) => (Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined);
  const oldValues = valuesOf(before);
  const newValues = valuesOf(after);
  const at = after.enum !== undefined ? [...pointer, "enum"] : "const" in after ? [...pointer, "const"] : [...pointer];
  if (!oldValues && !newValues) return;
  if (!oldValues) {
    report("schema-constraint-tightened", "breaking", "proven", at, symbol, `${describePath(symbol)} allows only ${newValues!.map((value) => JSON.stringify(value)).join(", ")} now: other values fail`);
    return;
  }
  if (!newValues) {
    report("schema-constraint-loosened", "additive", "proven", [...pointer], symbol, `${describePath(symbol)} is no longer limited to ${oldValues.map((value) => JSON.stringify(value)).join(", ")}`);
    return;
  }
  const key = (value: unknown) => JSON.stringify(value);
  const newKeys = new Set(newValues.map(key));
  const oldKeys = new Set(oldValues.map(key));
  const removed = oldValues.filter((value) => !newKeys.has(key(value)));
  const added = newValues.filter((value) => !oldKeys.has(key(value)));
  if (removed.length > 0) report("schema-enum-value-removed", "breaking", "proven", at, symbol, `${describePath(symbol)} no longer allows ${removed.map(key).join(", ")}: documents with ${removed.length === 1 ? "it" : "them"} fail`);
  if (added.length > 0) report("schema-enum-value-added", "additive", "proven", at, symbol, `${describePath(symbol)} also allows ${added.map(key).join(", ")} now`);
}

const lowerBounds = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"];
const upperBounds = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"];

function compareConstraints(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  const tightened = (keyword: string, proof: Proof, why: string) => report("schema-constraint-tightened", "breaking", proof, [...pointer, keyword], symbol, `${describePath(symbol)}: ${why}: documents that met the old constraint may fail`);
  const loosened = (keyword: string, why: string) => report("schema-constraint-loosened", "additive", "proven", after[keyword] !== undefined ? [...pointer, keyword] : [...pointer], symbol, `${describePath(symbol)}: ${why}`);
  for (const keyword of [...lowerBounds, ...upperBounds]) {
    const was = before[keyword];
    const now = after[keyword];
    if (was === now) continue;
    const isLower = lowerBounds.includes(keyword);
    if (typeof was !== "number" && typeof now === "number") tightened(keyword, "proven", `${keyword} ${now} was added`);
    else if (typeof was === "number" && typeof now !== "number") loosened(keyword, `${keyword} ${was} was removed`);
    else if (typeof was === "number" && typeof now === "number") {
      if (isLower ? now > was : now < was) tightened(keyword, "proven", `${keyword} went from ${was} to ${now}`);
      else loosened(keyword, `${keyword} went from ${was} to ${now}`);
    } else if (was !== now) tightened(keyword, "heuristic", `${keyword} changed from ${JSON.stringify(was)} to ${JSON.stringify(now)}`);
  }
  if (before.multipleOf !== after.multipleOf) {
    const was = before.multipleOf;
    const now = after.multipleOf;
    if (typeof now !== "number") loosened("multipleOf", `multipleOf ${String(was)} was removed`);
    else if (typeof was !== "number") tightened("multipleOf", "proven", `multipleOf ${now} was added`);
    else if (Number.isInteger(was / now)) loosened("multipleOf", `multipleOf went from ${was} to ${now}`);
    else tightened("multipleOf", Number.isInteger(now / was) ? "proven" : "heuristic", `multipleOf went from ${was} to ${now}`);
  }
  for (const keyword of ["pattern", "format"]) {
    const was = before[keyword];
    const now = after[keyword];
    if (was === now) continue;
    // A validator may ignore `format` (JSON Schema makes it an annotation by default): only a heuristic can judge it.
    if (was === undefined) tightened(keyword, keyword === "pattern" ? "proven" : "heuristic", `${keyword} ${JSON.stringify(now)} was added`);
    else if (now === undefined) loosened(keyword, `${keyword} ${JSON.stringify(was)} was removed`);
    else tightened(keyword, "heuristic", `${keyword} changed from ${JSON.stringify(was)} to ${JSON.stringify(now)}`);
  }
  if (before.uniqueItems !== true && after.uniqueItems === true) tightened("uniqueItems", "proven", "uniqueItems was added");
  if (before.uniqueItems === true && after.uniqueItems !== true) loosened("uniqueItems", "uniqueItems was removed");
}

function compareObject(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  const oldProperties = isRecord(before.properties) ? before.properties : {};
  const newProperties = isRecord(after.properties) ? after.properties : {};
  const closed = after.additionalProperties === false;
  const join = (name: string) => (symbol === "" ? name : `${symbol}.${name}`);
  for (const name of [...new Set([...Object.keys(oldProperties), ...Object.keys(newProperties)])].sort()) {
    const path = join(name);
    if (!(name in newProperties)) {
      report(
        "schema-property-removed",
        "breaking",
        closed ? "proven" : "heuristic",
        [...pointer, "properties"],
        path,
        closed ? `the property '${path}' was removed and other properties are not allowed: documents with it fail` : `the property '${path}' was removed: readers that use it no longer find it documented (documents with it still validate)`,
      );
    } else if (!(name in oldProperties)) {
      report("schema-property-added", "additive", "proven", [...pointer, "properties", name], path, `new property '${path}'`);
    } else {
      compareSchema(asSchema(oldProperties[name]), asSchema(newProperties[name]), [...pointer, "properties", name], path, report);
    }
  }
  const oldRequired = new Set(Array.isArray(before.required) ? before.required.filter((name): name is string => typeof name === "string") : []);
  const newRequired = Array.isArray(after.required) ? after.required.filter((name): name is string => typeof name === "string") : [];
  for (const name of [...newRequired].sort()) {
    if (!oldRequired.has(name)) report("schema-required-added", "breaking", "proven", [...pointer, "required", newRequired.indexOf(name)], join(name), `'${join(name)}' is required now: documents without it fail`);
  }
  for (const name of [...oldRequired].sort()) {
    if (!newRequired.includes(name)) report("schema-required-removed", "additive", "proven", name in newProperties ? [...pointer, "properties", name] : [...pointer], join(name), `'${join(name)}' is no longer required`);
  }
  const was = before.additionalProperties;
  const now = after.additionalProperties;
  const additional = [...pointer, "additionalProperties"];
  const open = (value: unknown) => value === undefined || value === true;
  if (open(was) && now === false) report("schema-additional-properties-restricted", "breaking", "proven", additional, symbol, `${describePath(symbol)} no longer allows properties it does not list (additionalProperties: false): documents with others fail`);
  else if (was === false && open(now)) report("schema-additional-properties-allowed", "additive", "proven", now === undefined ? [...pointer] : additional, symbol, `${describePath(symbol)} allows properties it does not list again`);
  else if (open(was) && isRecord(now)) report("schema-additional-properties-restricted", "breaking", "heuristic", additional, symbol, `${describePath(symbol)} constrains the properties it does not list now: documents whose other properties do not match fail`);
  else if (isRecord(was) && open(now)) report("schema-additional-properties-allowed", "additive", "proven", now === undefined ? [...pointer] : additional, symbol, `${describePath(symbol)} allows any other properties now`);
  else if (was === false && isRecord(now)) report("schema-additional-properties-allowed", "additive", "proven", additional, symbol, `${describePath(symbol)} allows other properties that match a schema now`);
  else if (isRecord(was) && now === false) report("schema-additional-properties-restricted", "breaking", "proven", additional, symbol, `${describePath(symbol)} no longer allows properties it does not list: documents with others fail`);
  else if (isRecord(was) && isRecord(now)) compareSchema(was, now, additional, `${symbol}{*}`, report);
}

function compareArray(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  if (isRecord(before.items) && isRecord(after.items)) compareSchema(before.items, after.items, [...pointer, "items"], `${symbol}[]`, report);
  for (const tuple of ["prefixItems", "items"]) {
    const was = before[tuple];
    const now = after[tuple];
    if (!Array.isArray(was) || !Array.isArray(now)) continue;
    now.forEach((item, index) => {
      if (index < was.length) compareSchema(asSchema(was[index]), asSchema(item), [...pointer, tuple, index], `${symbol}[${index}]`, report);
    });
  }
}

/** anyOf / oneOf by position: an option removed tightens, one added loosens (heuristic: options may overlap). allOf: each part compared. */
function compareCombinators(before: Record<string, unknown>, after: Record<string, unknown>, pointer: readonly (string | number)[], symbol: string, report: Report): void {
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const was = before[keyword];
    const now = after[keyword];
    if (!Array.isArray(was) && !Array.isArray(now)) continue;
    const oldOptions = Array.isArray(was) ? was : [];
    const newOptions = Array.isArray(now) ? now : [];
    const common = Math.min(oldOptions.length, newOptions.length);
    for (let index = 0; index < common; index++) compareSchema(asSchema(oldOptions[index]), asSchema(newOptions[index]), [...pointer, keyword, index], symbol, report);
    if (oldOptions.length === newOptions.length) continue;
    const fewer = newOptions.length < oldOptions.length;
    const tightens = keyword === "allOf" ? !fewer : fewer;
    const words = `${keyword} has ${newOptions.length} ${newOptions.length === 1 ? "entry" : "entries"} now (was ${oldOptions.length})`;
    if (tightens) report("schema-constraint-tightened", "breaking", "heuristic", [...pointer, keyword], symbol, `${describePath(symbol)}: ${words}: documents that matched a removed option may fail`);
    else report("schema-constraint-loosened", "additive", "heuristic", [...pointer, keyword], symbol, `${describePath(symbol)}: ${words}`);
  }
}
