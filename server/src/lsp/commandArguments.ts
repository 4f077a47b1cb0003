/**
 * The arguments of the pipeline commands and preview requests, checked. They arrive from the
 * editor (`workspace/executeCommand` takes anything), so a bad one is refused naming the field
 * and what was expected, before anything is planned or written.
 */
import type { Range } from "vscode-languageserver/node";
import type { EntryReference, FixAllReference, FixReference, PreviewContentParams, PreviewSide, PreviewTarget } from "../protocol/customMessages";

export class ArgumentError extends Error {}

type Json = Record<string, unknown>;

export function fixReferenceOf(value: unknown, where = "the argument"): FixReference {
  const record = objectOf(value, where);
  return {
    uri: stringOf(record, "uri", where),
    version: versionOf(record, where),
    ruleId: stringOf(record, "ruleId", where),
    range: rangeOf(record.range, `${where}.range`),
    fixTitle: stringOf(record, "fixTitle", where),
  };
}

export function fixAllReferenceOf(value: unknown, where = "the argument"): FixAllReference {
  const record = objectOf(value, where);
  const scope = record.scope;
  if (scope !== "file" && scope !== "workspace") throw new ArgumentError(`${where}.scope must be "file" or "workspace" (got ${JSON.stringify(scope)})`);
  return { ruleId: stringOf(record, "ruleId", where), scope, uri: stringOf(record, "uri", where), version: versionOf(record, where) };
}

/** An entry id may come alone (a string) or as `{ entryId, folder? }`. */
export function entryReferenceOf(value: unknown, where = "the argument"): EntryReference {
  if (typeof value === "string") return { entryId: nonEmpty(value, `${where}`) };
  const record = objectOf(value, where);
  const folder = record.folder;
  if (folder !== undefined && typeof folder !== "string") throw new ArgumentError(`${where}.folder must be a folder URI (got ${JSON.stringify(folder)})`);
  return { entryId: stringOf(record, "entryId", where), ...(folder !== undefined ? { folder } : {}) };
}

export function previewTargetOf(value: unknown, where = "the preview target"): PreviewTarget {
  const record = objectOf(value, where);
  switch (record.kind) {
    case "fix":
      return { kind: "fix", fix: fixReferenceOf(record.fix, `${where}.fix`) };
    case "fixAll":
      return { kind: "fixAll", fixAll: fixAllReferenceOf(record.fixAll, `${where}.fixAll`) };
    case "entry":
      return { kind: "entry", entry: entryReferenceOf(record.entry, `${where}.entry`) };
    default:
      throw new ArgumentError(`${where}.kind must be "fix", "fixAll" or "entry" (got ${JSON.stringify(record.kind)})`);
  }
}

const sides: readonly PreviewSide[] = ["before", "after", "current", "restored"];

export function previewContentParamsOf(value: unknown): PreviewContentParams {
  const record = objectOf(value, "the preview content request");
  const side = record.side as PreviewSide;
  if (!sides.includes(side)) throw new ArgumentError(`side must be one of ${sides.join(", ")} (got ${JSON.stringify(record.side)})`);
  return { target: previewTargetOf(record.target), file: stringOf(record, "file", "the preview content request"), side };
}

function objectOf(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ArgumentError(`${where} must be an object (got ${describe(value)})`);
  return value as Json;
}

function stringOf(record: Json, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== "string") throw new ArgumentError(`${where}.${key} must be a string (got ${describe(value)})`);
  return nonEmpty(value, `${where}.${key}`);
}

function nonEmpty(value: string, where: string): string {
  if (value.trim() === "") throw new ArgumentError(`${where} must not be empty`);
  return value;
}

function versionOf(record: Json, where: string): number | null {
  const value = record.version;
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ArgumentError(`${where}.version must be a whole number or null (got ${describe(value)})`);
  return value;
}

function rangeOf(value: unknown, where: string): Range {
  const record = objectOf(value, where);
  return { start: positionOf(record.start, `${where}.start`), end: positionOf(record.end, `${where}.end`) };
}

function positionOf(value: unknown, where: string): Range["start"] {
  const record = objectOf(value, where);
  const { line, character } = record;
  if (typeof line !== "number" || !Number.isInteger(line) || line < 0) throw new ArgumentError(`${where}.line must be a whole number ≥ 0 (got ${describe(line)})`);
  if (typeof character !== "number" || !Number.isInteger(character) || character < 0) throw new ArgumentError(`${where}.character must be a whole number ≥ 0 (got ${describe(character)})`);
  return { line, character };
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
