/**
 * The policy's JSON Schema (policies/policy.schema.json): the same file the YAML extension
 * completes and validates with, so the editor and the engine never disagree on the shape.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundledPoliciesFolder } from "./bundledFolder";

/** The parts of a JSON Schema the loader and the hover read. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

let schema: SchemaNode | undefined;
let validator: ValidateFunction | undefined;

export function policySchema(): SchemaNode {
  schema ??= JSON.parse(fs.readFileSync(path.join(bundledPoliciesFolder(), "policy.schema.json"), "utf8")) as SchemaNode;
  return schema;
}

/** Ajv's errors for the value (empty when it fits). The validator is compiled once per process, on first use. */
export function validatePolicyShape(value: unknown): ErrorObject[] {
  validator ??= new Ajv({
    allErrors: true,
    // `parentSchema` and `data` on every error: the messages name the allowed keys and the value found.
    verbose: true,
    strict: true,
    // Never write to stdout: the language server talks over it.
    logger: false,
    keywords: ["markdownDescription", "markdownEnumDescriptions"],
  }).compile(policySchema());
  return validator(value) ? [] : [...(validator.errors ?? [])];
}
