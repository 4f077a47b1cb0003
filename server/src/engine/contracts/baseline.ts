/**
 * A contract's registered baseline: `.selfheal/contracts/<name>.json`, written by `selfheal
 * contracts snapshot` and committed, so accepting a new contract is a reviewable change in git.
 * The file is deterministic (keys sorted, two-space indent, a final newline, no absolute path,
 * no time), so the same API gives the same bytes on every machine. Declaration files are kept as
 * arrays of lines, so a changed declaration shows as changed lines in a diff. See
 * docs/contracts.md ("Baseline format").
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "../ledger/canonicalJson";
import { ContractError } from "./contractError";
import { JsonDocument } from "./jsonPositions";
import type { ApiSurface, DeclarationBundle } from "./model";

export const baselineFormat = 1;

export interface ApiBaseline {
  format: typeof baselineFormat;
  kind: "api";
  name: string;
  /** The package version when the baseline was taken ("0.0.0" without a package.json version). */
  version: string;
  /** The entry module, relative to the folder that holds `.selfheal/`. */
  entry: string;
  /** sha256 (hex) of the canonical JSON (RFC 8785) of `api`. */
  hash: string;
  api: ApiSurface;
  declarations: DeclarationBundle;
}

export interface SchemaBaseline {
  format: typeof baselineFormat;
  kind: "schema";
  name: string;
  version: string;
  /** The schema file, relative to the folder that holds `.selfheal/`. */
  schema: string;
  /** sha256 (hex) of the canonical JSON of `document`. */
  hash: string;
  document: unknown;
}

export type Baseline = ApiBaseline | SchemaBaseline;

/** A baseline read from disk, with what is needed to point at a line in it. */
export interface LoadedBaseline<B extends Baseline = Baseline> {
  /** Absolute path. */
  file: string;
  text: string;
  baseline: B;
  document: JsonDocument;
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

export function apiBaseline(input: { name: string; version: string; entry: string; api: ApiSurface; declarations: DeclarationBundle }): ApiBaseline {
  return { format: baselineFormat, kind: "api", name: input.name, version: input.version, entry: input.entry, hash: contentHash(input.api), api: input.api, declarations: input.declarations };
}

export function schemaBaseline(input: { name: string; version: string; schema: string; document: unknown }): SchemaBaseline {
  return { format: baselineFormat, kind: "schema", name: input.name, version: input.version, schema: input.schema, hash: contentHash(input.document), document: input.document };
}

/** The file's bytes: keys sorted at every level, declaration texts as lines. */
export function serializeBaseline(baseline: Baseline): string {
  const written = baseline.kind === "api" ? { ...baseline, declarations: { entry: baseline.declarations.entry, files: linesOf(baseline.declarations.files) } } : baseline;
  return JSON.stringify(sortKeys(written), null, 2) + "\n";
}

function linesOf(files: Record<string, string>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [key, text] of Object.entries(files)) result[key] = text.replace(/\r\n/g, "\n").split("\n");
  return result;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) sorted[key] = sortKeys(field);
  }
  return sorted;
}

/**
 * Reads a baseline file's text; throws a ContractError (`contract-baseline-invalid`) that says
 * where and what when it is not one: a JSON syntax error with its line, a missing or mistyped
 * field with its path, a hash that does not match the API (a hand edit).
 */
export function parseBaseline(file: string, text: string, display: string = file): LoadedBaseline {
  const document = new JsonDocument(file, text);
  const fail = (where: string, what: string): never => {
    throw new ContractError("contract-baseline-invalid", `${display}${where}: ${what}`);
  };
  if (document.errors.length > 0) {
    const [first] = document.errors;
    fail(`:${first.range.start.line + 1}:${first.range.start.character + 1}`, `${first.message} (the baseline is not valid JSON)`);
  }
  const value = document.value;
  if (!isRecord(value)) return fail("", "a baseline is a JSON object");
  const lineOf = (pointer: string) => `:${document.rangeOf(pointer).start.line + 1}`;
  const field = (name: string, check: (field: unknown) => boolean, expected: string): unknown => {
    const found = value[name];
    if (found === undefined) fail("", `the field '${name}' is missing (${expected})`);
    if (!check(found)) fail(lineOf(`/${name}`), `'${name}' must be ${expected}`);
    return found;
  };
  const format = field("format", (found) => found === baselineFormat, `${baselineFormat}, the only baseline format this version reads`);
  const kind = field("kind", (found) => found === "api" || found === "schema", `"api" or "schema"`);
  const name = field("name", isText, "a non-empty string") as string;
  const version = field("version", isText, "a version string such as 1.2.3") as string;
  const hash = field("hash", (found) => typeof found === "string" && /^[0-9a-f]{64}$/.test(found), "a sha256 hex digest") as string;
  if (kind === "schema") {
    const schema = field("schema", isText, "the schema file's path") as string;
    if (!("document" in value)) fail("", "the field 'document' is missing (the schema as it was)");
    if (contentHash(value.document) !== hash) fail(lineOf("/hash"), "'hash' does not match 'document': the file was edited by hand; take a new snapshot with `selfheal contracts snapshot`");
    return { file, text, document, baseline: { format: format as 1, kind: "schema", name, version, schema, hash, document: value.document } };
  }
  const entry = field("entry", isText, "the entry module's path") as string;
  const api = field("api", isRecord, "an object with 'exports'") as Record<string, unknown>;
  const problem = apiProblem(api);
  if (problem) fail(lineOf(`/api${problem.pointer}`), `api${problem.pointer.replace(/\//g, ".")}: ${problem.message}`);
  const declarations = field("declarations", isRecord, "an object with 'entry' and 'files'") as Record<string, unknown>;
  const files = declarations.files;
  if (!isText(declarations.entry)) fail(lineOf("/declarations"), "'declarations.entry' must be the entry's declaration file");
  if (!isRecord(files) || !Object.values(files).every((lines) => Array.isArray(lines) && lines.every((line) => typeof line === "string"))) {
    fail(lineOf("/declarations/files"), "'declarations.files' must map each file to an array of lines");
  }
  if (!(declarations.entry as string in (files as Record<string, unknown>))) fail(lineOf("/declarations/entry"), `'declarations.entry' names ${String(declarations.entry)}, which is not in 'declarations.files'`);
  if (contentHash(api) !== hash) fail(lineOf("/hash"), "'hash' does not match 'api': the file was edited by hand; take a new snapshot with `selfheal contracts snapshot`");
  const texts: Record<string, string> = {};
  for (const [key, lines] of Object.entries(files as Record<string, string[]>)) texts[key] = lines.join("\n");
  return {
    file,
    text,
    document,
    baseline: { format: format as 1, kind: "api", name, version, entry, hash, api: api as unknown as ApiSurface, declarations: { entry: declarations.entry as string, files: texts } },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

interface ShapeProblem {
  pointer: string;
  message: string;
}

/** The first place where `api` is not an API description (the classifier trusts the shape). */
function apiProblem(api: Record<string, unknown>): ShapeProblem | undefined {
  return exportsProblem(api.exports, "/exports");
}

function exportsProblem(entries: unknown, pointer: string): ShapeProblem | undefined {
  if (!isRecord(entries)) return { pointer, message: "must be an object of exported names" };
  for (const [name, described] of Object.entries(entries)) {
    const at = `${pointer}/${name}`;
    if (!isRecord(described)) return { pointer: at, message: "must be an object describing the export" };
    const problem = exportProblem(described, at);
    if (problem) return problem;
  }
  return undefined;
}

const signatureListFields = ["signatures", "constructors", "callSignatures", "constructSignatures"];

function exportProblem(described: Record<string, unknown>, pointer: string): ShapeProblem | undefined {
  if (described.aliasOf !== undefined && typeof described.aliasOf !== "string") return { pointer: `${pointer}/aliasOf`, message: "must be a dotted path" };
  const fn = described.function;
  if (fn !== undefined && (!isRecord(fn) || signaturesProblem(fn.signatures))) return { pointer: `${pointer}/function`, message: "must have 'signatures', a list of { parameters, returns }" };
  for (const facet of ["class", "interface"] as const) {
    const shape = described[facet];
    if (shape === undefined) continue;
    if (!isRecord(shape)) return { pointer: `${pointer}/${facet}`, message: "must be an object" };
    if (facet === "class" && signaturesProblem(shape.constructors)) return { pointer: `${pointer}/class/constructors`, message: "must be a list of signatures" };
    const problem = shapeProblem(shape, `${pointer}/${facet}`);
    if (problem) return problem;
  }
  const alias = described.typeAlias;
  if (alias !== undefined) {
    if (!isRecord(alias) || (typeof alias.type !== "string" && !isRecord(alias.shape))) return { pointer: `${pointer}/typeAlias`, message: "must have 'type' (a string) or 'shape'" };
    if (isRecord(alias.shape)) {
      const problem = shapeProblem(alias.shape, `${pointer}/typeAlias/shape`);
      if (problem) return problem;
    }
  }
  const enumeration = described.enum;
  if (enumeration !== undefined && (!isRecord(enumeration) || !isRecord(enumeration.members))) return { pointer: `${pointer}/enum`, message: "must have 'members'" };
  const variable = described.variable;
  if (variable !== undefined && (!isRecord(variable) || typeof variable.type !== "string")) return { pointer: `${pointer}/variable`, message: "must have 'type' (a string)" };
  const namespace = described.namespace;
  if (namespace !== undefined) return isRecord(namespace) ? exportsProblem(namespace.exports, `${pointer}/namespace/exports`) : { pointer: `${pointer}/namespace`, message: "must have 'exports'" };
  return undefined;
}

function shapeProblem(shape: Record<string, unknown>, pointer: string): ShapeProblem | undefined {
  for (const field of signatureListFields) if (field !== "signatures" && shape[field] !== undefined && signaturesProblem(shape[field])) return { pointer: `${pointer}/${field}`, message: "must be a list of signatures" };
  if (shape.members !== undefined) {
    if (!isRecord(shape.members)) return { pointer: `${pointer}/members`, message: "must be an object of members" };
    for (const [name, member] of Object.entries(shape.members)) {
      if (!isRecord(member) || (member.kind !== "property" && member.kind !== "method")) return { pointer: `${pointer}/members/${name}`, message: "must have 'kind' \"property\" or \"method\"" };
      if (member.signatures !== undefined && signaturesProblem(member.signatures)) return { pointer: `${pointer}/members/${name}/signatures`, message: "must be a list of signatures" };
      if (member.type !== undefined && typeof member.type !== "string") return { pointer: `${pointer}/members/${name}/type`, message: "must be a string" };
    }
  }
  if (shape.indexSignatures !== undefined && (!Array.isArray(shape.indexSignatures) || !shape.indexSignatures.every((index) => isRecord(index) && typeof index.keyType === "string" && typeof index.type === "string"))) {
    return { pointer: `${pointer}/indexSignatures`, message: "must be a list of { keyType, type }" };
  }
  return undefined;
}

function signaturesProblem(signatures: unknown): boolean {
  return (
    !Array.isArray(signatures) ||
    !signatures.every(
      (signature) =>
        isRecord(signature) &&
        typeof signature.returns === "string" &&
        Array.isArray(signature.parameters) &&
        signature.parameters.every((parameter) => isRecord(parameter) && typeof parameter.name === "string" && typeof parameter.type === "string"),
    )
  );
}
