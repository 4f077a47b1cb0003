/**
 * Drift between a TypeScript type and the JSON Schema it is declared to mirror (a
 * `@contract path/to/schema.json` JSDoc tag on the type, or a policy `mirrors:` entry): a field
 * one side has and the other lacks, a field whose JSON type differs, a field required on one side
 * and optional on the other. Nested objects and array items are followed. Each difference is
 * shown on the TypeScript property (or the type's name, for a field it lacks).
 */
import * as path from "node:path";
import * as ts from "typescript";
import { rangeOf } from "../text";
import { normalizePath } from "../workspace/paths";
import { ContractError } from "./contractError";
import type { ChangeKind } from "./changeKinds";
import type { JsonDocument } from "./jsonPositions";
import type { ChangeLocation, ContractChange, Proof } from "./model";

export interface MirrorInput {
  contract: string;
  program: ts.Program;
  /** Absolute path of the module that declares the type. */
  typeFile: string;
  typeName: string;
  schemaFile: string;
  schema: JsonDocument;
}

export interface ContractTag {
  /** Absolute path of the module, and the declaration's name. */
  file: string;
  typeName: string;
  /** Absolute path of the schema, resolved against the declaring module's folder. */
  schema: string;
  location: ChangeLocation;
}

/** Types in these files that carry a `@contract <schema.json>` tag. */
export function findContractTags(program: ts.Program, files: readonly string[]): ContractTag[] {
  const tags: ContractTag[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) continue;
    for (const statement of sourceFile.statements) {
      if (!(ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement)) || !statement.name) continue;
      for (const tag of ts.getJSDocTags(statement)) {
        if (tag.tagName.text !== "contract") continue;
        const written = (ts.getTextOfJSDocComment(tag.comment) ?? "").trim().split(/\s+/)[0];
        if (!written || !written.endsWith(".json")) continue;
        tags.push({
          file: normalizePath(sourceFile.fileName),
          typeName: statement.name.text,
          schema: normalizePath(path.resolve(path.dirname(sourceFile.fileName), written)),
          location: { file: normalizePath(sourceFile.fileName), range: rangeOf(sourceFile, tag.getStart(sourceFile), tag.getEnd()) },
        });
      }
    }
  }
  return tags;
}

export function mirrorDrift(input: MirrorInput): ContractChange[] {
  const sourceFile = input.program.getSourceFile(input.typeFile);
  if (!sourceFile) throw new ContractError("contract-mirror-invalid", `${input.typeFile} (the module of the mirrored type ${input.typeName}) is not part of the TypeScript program`);
  const checker = input.program.getTypeChecker();
  const declaration = sourceFile.statements.find(
    (statement): statement is ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration =>
      (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === input.typeName,
  );
  if (!declaration || !declaration.name) throw new ContractError("contract-mirror-invalid", `${input.typeFile} declares no interface, type alias or class named '${input.typeName}'`);
  if (input.schema.value === undefined) throw new ContractError("contract-schema-invalid", `${input.schemaFile}: ${input.schema.errors[0]?.message ?? "not JSON"}`);
  const symbol = checker.getSymbolAtLocation(declaration.name)!;
  const changes: ContractChange[] = [];
  new MirrorWalk(checker, input, changes).compare(checker.getDeclaredTypeOfSymbol(symbol), input.schema.value, input.typeName, declaration.name, []);
  return changes;
}

type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

class MirrorWalk {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly input: MirrorInput,
    private readonly changes: ContractChange[],
  ) {}

  compare(type: ts.Type, schema: unknown, symbol: string, anchor: ts.Node, depth: readonly string[]): void {
    if (!isRecord(schema) || depth.length > 16) return;
    const properties = isRecord(schema.properties) ? schema.properties : undefined;
    if (!properties) return;
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : []);
    const closed = schema.additionalProperties === false;
    for (const name of Object.keys(properties).sort()) {
      const property = this.checker.getPropertyOfType(type, name);
      const path = `${symbol}.${name}`;
      if (!property) {
        this.report("mirror-field-missing", "proven", path, anchor, `the schema ${this.schemaName()} has the property '${name}' but the type ${symbol} does not${required.has(name) ? ": documents must have it, and the type cannot carry it" : ""}`);
        continue;
      }
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const where = (declaration && ts.getNameOfDeclaration(declaration)) ?? anchor;
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      if (required.has(name) && optional) this.report("mirror-optionality-mismatch", "proven", path, where, `'${name}' is required by the schema but optional in ${symbol}: a value without it is a valid ${symbol} and an invalid document`);
      else if (!required.has(name) && !optional) this.report("mirror-optionality-mismatch", "proven", path, where, `'${name}' is optional in the schema but required in ${symbol}: a valid document without it does not fit the type`);
      const propertySchema = properties[name];
      const propertyType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
      const fullType = this.checker.getTypeOfSymbol(property);
      this.compareKinds(fullType, propertySchema, path, where, optional);
      if (isRecord(propertySchema)) {
        this.compare(propertyType, propertySchema, path, where, [...depth, name]);
        const items = propertySchema.items;
        const element = this.checker.isArrayType(propertyType) ? this.checker.getIndexTypeOfType(propertyType, ts.IndexKind.Number) : undefined;
        if (element && isRecord(items)) {
          this.compareKinds(element, items, `${path}[]`, where, false);
          this.compare(element, items, `${path}[]`, where, [...depth, name, "[]"]);
        }
      }
    }
    for (const property of this.checker.getPropertiesOfType(type)) {
      if (property.name in properties || property.flags & ts.SymbolFlags.Method || property.name.startsWith("__")) continue;
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const where = (declaration && ts.getNameOfDeclaration(declaration)) ?? anchor;
      this.report(
        "mirror-field-extra",
        closed ? "proven" : "heuristic",
        `${symbol}.${property.name}`,
        where,
        closed ? `'${property.name}' is in ${symbol} but the schema does not allow it (additionalProperties: false): documents built from the type fail` : `'${property.name}' is in ${symbol} but not in the schema, which does not document it`,
      );
    }
  }

  private compareKinds(type: ts.Type, schema: unknown, symbol: string, where: ts.Node, optional: boolean): void {
    if (!isRecord(schema)) return;
    const allowed = schemaKinds(schema);
    if (!allowed) return;
    const actual = this.kindsOf(type, optional);
    if (!actual) return;
    const fits = (kind: JsonType, kinds: ReadonlySet<JsonType>) => kinds.has(kind) || (kind === "integer" && kinds.has("number")) || (kind === "number" && kinds.has("integer"));
    const extra = [...actual].filter((kind) => !fits(kind, allowed));
    const missing = [...allowed].filter((kind) => !fits(kind, actual));
    const enumValues = Array.isArray(schema.enum) ? schema.enum : undefined;
    const literals = this.literalValues(type);
    const enumMismatch = enumValues && literals ? describeEnumMismatch(enumValues, literals) : undefined;
    if (extra.length === 0 && missing.length === 0 && !enumMismatch) return;
    const text = this.checker.typeToString(type);
    const detail = enumMismatch ?? `the type allows ${[...actual].sort().join(" | ")}, the schema ${[...allowed].sort().join(" | ")}`;
    this.report("mirror-type-mismatch", "proven", symbol, where, `'${symbol}' does not match its schema: ${detail} (TypeScript: ${text})`);
  }

  /** The JSON types a TypeScript type's values serialize to; undefined when it cannot say (any, unknown, a type parameter). */
  private kindsOf(type: ts.Type, optional: boolean): Set<JsonType> | undefined {
    const kinds = new Set<JsonType>();
    for (const member of type.isUnion() ? type.types : [type]) {
      const flags = member.flags;
      if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return undefined;
      if (flags & ts.TypeFlags.Undefined || flags & ts.TypeFlags.Void) {
        if (!optional) return undefined;
        continue;
      }
      if (flags & ts.TypeFlags.Null) kinds.add("null");
      else if (flags & ts.TypeFlags.StringLike) kinds.add("string");
      else if (flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) kinds.add("number");
      else if (flags & ts.TypeFlags.BooleanLike) kinds.add("boolean");
      else if (this.checker.isArrayType(member) || this.checker.isTupleType(member)) kinds.add("array");
      else if (flags & ts.TypeFlags.Object || flags & ts.TypeFlags.NonPrimitive || flags & ts.TypeFlags.Intersection) {
        // A Date serializes to a string, as JSON.stringify writes it.
        kinds.add(member.getSymbol()?.name === "Date" ? "string" : "object");
      } else return undefined;
    }
    return kinds;
  }

  private literalValues(type: ts.Type): unknown[] | undefined {
    const members = (type.isUnion() ? type.types : [type]).filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.length === 0 || !members.every((member) => member.isStringLiteral() || member.isNumberLiteral() || member.flags & ts.TypeFlags.BooleanLiteral)) return undefined;
    return members.map((member) => (member.isLiteral() ? member.value : this.checker.typeToString(member) === "true"));
  }

  private schemaName(): string {
    return path.posix.basename(this.input.schemaFile);
  }

  private report(kind: ChangeKind, proof: Proof, symbol: string, node: ts.Node, message: string): void {
    const sourceFile = node.getSourceFile();
    const range = rangeOf(sourceFile, node.getStart(sourceFile), node.getEnd());
    this.changes.push({ contract: this.input.contract, symbol, kind, classification: "breaking", proof, file: normalizePath(sourceFile.fileName), line: range.start.line + 1, range, message });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function schemaKinds(schema: Record<string, unknown>): Set<JsonType> | undefined {
  const written = schema.type;
  const listed = typeof written === "string" ? [written] : Array.isArray(written) ? written : undefined;
  if (listed) {
    const kinds = new Set(listed.filter((kind): kind is JsonType => typeof kind === "string") as JsonType[]);
    if (schema.nullable === true) kinds.add("null");
    return kinds;
  }
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (!values) return undefined;
  return new Set(values.map((value): JsonType => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : typeof value === "string" ? "string" : "object")));
}

function describeEnumMismatch(schemaValues: readonly unknown[], typeValues: readonly unknown[]): string | undefined {
  const key = (value: unknown) => JSON.stringify(value);
  const inSchema = new Set(schemaValues.map(key));
  const inType = new Set(typeValues.map(key));
  const onlyType = [...inType].filter((value) => !inSchema.has(value));
  const onlySchema = [...inSchema].filter((value) => !inType.has(value));
  if (onlyType.length === 0 && onlySchema.length === 0) return undefined;
  const parts = [onlyType.length ? `the type allows ${onlyType.join(", ")}, which the schema does not` : "", onlySchema.length ? `the schema allows ${onlySchema.join(", ")}, which the type does not` : ""].filter(Boolean);
  return parts.join("; ");
}
