/**
 * Turns ajv's errors into problems a person can act on: one per mistake, at the offending key or
 * value, in plain words (`rules.no-explicit-any.autofix must be one of auto, review, deny, off
 * (got 'yes')`), with "did you mean" for misspelt keys and rule ids.
 */
import type { ErrorObject } from "ajv";
import type { Range } from "../findings";
import type { PolicyMessageId, PolicyProblem } from "./model";
import type { SchemaNode } from "./schema";
import { didYouMean } from "./suggest";
import type { PolicySource } from "./yamlSource";

/** What the mapper works on: ajv's error, or a merged "none of the alternatives fits" one. */
interface ShapeError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  parentSchema?: SchemaNode;
  schema?: unknown;
  data?: unknown;
}

export function schemaProblems(errors: readonly ErrorObject[], source: PolicySource): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const seen = new Set<string>();
  for (const error of resolveAlternatives(errors.map(toShapeError))) {
    const problem = describe(error, source);
    const key = `${problem.range.start.line}:${problem.range.start.character}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toShapeError(error: ErrorObject): ShapeError {
  return {
    keyword: error.keyword,
    instancePath: error.instancePath,
    schemaPath: error.schemaPath,
    params: error.params as Record<string, unknown>,
    parentSchema: error.parentSchema as SchemaNode | undefined,
    schema: error.schema,
    data: error.data,
  };
}

/**
 * An `anyOf` fails with the errors of every alternative; only the alternative the value was
 * meant for is worth reporting. That is the one whose type fits (a mapping for the mapping form);
 * when none fits, one message lists the forms that would.
 */
function resolveAlternatives(errors: ShapeError[]): ShapeError[] {
  let remaining = errors;
  for (;;) {
    const anyOf = remaining
      .filter((error) => error.keyword === "anyOf")
      .sort((a, b) => a.schemaPath.length - b.schemaPath.length)[0];
    if (anyOf === undefined) return remaining;
    const branches = (Array.isArray(anyOf.schema) ? anyOf.schema : []) as SchemaNode[];
    const prefix = `${anyOf.schemaPath}/`;
    const errorsOf = (index: number) => remaining.filter((error) => error.schemaPath.startsWith(`${prefix}${index}/`));
    const fitting = branches.flatMap((branch, index) => (typeFits(branch, anyOf.data) ? [{ index, errors: errorsOf(index) }] : []));
    const inBranches = new Set(remaining.filter((error) => error.schemaPath.startsWith(prefix)));
    const kept = fitting.length === 0 ? [] : fitting.reduce((best, candidate) => (candidate.errors.length < best.errors.length ? candidate : best)).errors;
    const replacement: ShapeError[] =
      fitting.length === 0 ? [{ keyword: "anyOfType", instancePath: anyOf.instancePath, schemaPath: anyOf.schemaPath, params: {}, schema: branches, data: anyOf.data }] : kept;
    remaining = remaining.flatMap((error) => (error === anyOf ? replacement : inBranches.has(error) && !kept.includes(error) ? [] : [error]));
  }
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeFits(schema: SchemaNode, value: unknown): boolean {
  const actual = jsonType(value);
  const fits = (expected: string) => expected === actual || (expected === "number" && actual === "integer");
  if (schema.type !== undefined) return (Array.isArray(schema.type) ? schema.type : [schema.type]).some(fits);
  if (schema.enum !== undefined) return schema.enum.some((allowed) => fits(jsonType(allowed)));
  if ("const" in schema) return fits(jsonType(schema.const));
  return true;
}

function describe(error: ShapeError, source: PolicySource): PolicyProblem {
  const where = source.displayOf(error.instancePath);
  const subject = where === "" ? "the policy" : where;
  const got = describeValue(error.data);
  const problem = (id: PolicyMessageId, range: Range, message: string): PolicyProblem => ({ id, file: source.file, range, severity: "error", message });
  const atValue = () => source.valueRange(error.instancePath);
  const atHead = () => (error.instancePath === "" ? source.valueRange("") : source.headRange(error.instancePath));
  const schema = error.parentSchema ?? {};
  switch (error.keyword) {
    case "additionalProperties": {
      const name = String(error.params.additionalProperty);
      const childPointer = `${error.instancePath}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      const range = source.keyRange(childPointer) ?? atHead();
      const allowed = Object.keys(schema.properties ?? {});
      if (error.instancePath === "/rules") return problem("policy-unknown-rule", range, `unknown rule '${name}' in rules${didYouMean(name, allowed) || ` (rules: ${allowed.join(", ")})`}`);
      const place = where === "" ? "at the top level" : `in ${where}`;
      if (allowed.length === 0) return problem("policy-unknown-key", range, `unknown key '${name}' ${place}: it takes no keys`);
      return problem("policy-unknown-key", range, `unknown key '${name}' ${place}${didYouMean(name, allowed) || ` (allowed: ${allowed.join(", ")})`}`);
    }
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]) ?? [];
      if (/^\/exceptions\/\d+\/rule$/.test(error.instancePath) && typeof error.data === "string") {
        return problem("policy-unknown-rule", atValue(), `unknown rule '${error.data}' in ${subject}${didYouMean(error.data, allowed.map(String)) || ` (rules: ${allowed.join(", ")})`}`);
      }
      return problem("policy-invalid-value", atValue(), `${subject} must be one of ${allowed.join(", ")} (got ${got})`);
    }
    case "const": {
      const expected = error.params.allowedValue;
      const quoted = typeof error.data === "string" && error.data === String(expected) ? `: write ${String(expected)} without quotes` : "";
      return problem("policy-invalid-value", atValue(), `${subject} must be ${JSON.stringify(expected)} (got ${got}${quoted})`);
    }
    case "type":
      if (error.instancePath === "" && (error.data === null || error.data === undefined)) return problem("policy-invalid-value", atValue(), "the policy file is empty: it must at least say 'version: 1'");
      return problem("policy-invalid-value", atValue(), `${subject} must be ${typeNoun(String(error.params.type))} (got ${got})`);
    case "anyOfType": {
      const forms = (error.schema as SchemaNode[]).map(formOf);
      return problem("policy-invalid-value", atValue(), `${subject} must be ${forms.slice(0, -1).join(", ")}${forms.length > 1 ? ", or " : ""}${forms[forms.length - 1]} (got ${got})`);
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return problem("policy-invalid-value", atValue(), `${subject} must be ${numberBounds(schema)} (got ${got})`);
    case "required": {
      const missing = String(error.params.missingProperty);
      const hint = error.instancePath === "" && missing === "version" ? ` (add 'version: 1' at the top)` : "";
      return problem("policy-invalid-value", atHead(), `${subject} is missing the required key '${missing}'${hint}`);
    }
    case "minItems":
      return problem("policy-invalid-value", atValue(), `${subject} must list at least ${String(error.params.limit)} item${error.params.limit === 1 ? "" : "s"} (got ${Array.isArray(error.data) && error.data.length === 0 ? "an empty list" : got})`);
    case "minLength":
      return problem("policy-invalid-value", atValue(), `${subject} must not be empty`);
    case "maxLength":
      return problem("policy-invalid-value", atValue(), `${subject} is longer than ${String(error.params.limit)} characters`);
    case "pattern":
      return problem("policy-invalid-value", atValue(), `${subject} must be ${patternMeaning(String(error.params.pattern))} (got ${got})`);
    default:
      return problem("policy-invalid-value", atValue(), `${subject} is not valid: ${error.keyword} ${JSON.stringify(error.params)}`);
  }
}

/** A value as a message quotes it: strings in quotes and cut short, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function typeNoun(type: string): string {
  switch (type) {
    case "object":
      return "a mapping (key: value)";
    case "array":
      return "a list";
    case "string":
      return "a string";
    case "integer":
      return "an integer";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    default:
      return type;
  }
}

function formOf(schema: SchemaNode): string {
  if (schema.enum !== undefined) return `one of ${schema.enum.map(String).join(", ")}`;
  if (schema.type === "object" && schema.properties) return `a mapping with ${Object.keys(schema.properties).join(", ")}`;
  if (schema.type === "array" && schema.items?.type) return `a list of ${typeNoun(String(schema.items.type)).replace(/^an? /, "")}s`;
  return typeNoun(String(schema.type ?? "a value"));
}

function numberBounds(schema: SchemaNode): string {
  const noun = schema.type === "integer" ? "an integer" : "a number";
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `${noun} from ${schema.minimum} to ${schema.maximum}`;
  if (schema.minimum !== undefined) return `${noun} ≥ ${schema.minimum}`;
  if (schema.maximum !== undefined) return `${noun} ≤ ${schema.maximum}`;
  return noun;
}

function patternMeaning(pattern: string): string {
  if (pattern === "^\\d{4}-\\d{2}-\\d{2}$") return "a date written YYYY-MM-DD";
  if (pattern === "^[a-z0-9]+(-[a-z0-9]+)*$") return "kebab-case: lowercase letters and digits joined by '-' (e.g. public-api)";
  if (pattern.includes("#")) return "file#TypeName (e.g. src/user.ts#User)";
  return `text matching ${pattern}`;
}
