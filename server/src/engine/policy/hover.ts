/**
 * Hovers in a policy file: the schema's description of the key under the cursor (the same text
 * the YAML extension shows), a rule's own description and docs link for rule ids, and what an
 * allowed value means (`review`, `deny`, …). Works on files with errors too.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LineCounter, isMap, isScalar, isSeq, type Node } from "yaml";
import { ruleDocsUri } from "../docs";
import type { Range } from "../findings";
import { findRule } from "../rules";
import { bundledPoliciesFolder } from "./bundledFolder";
import { maxPolicyBytes } from "./host";
import { policySchema, type SchemaNode } from "./schema";
import { composeYaml, rangeFromOffsets } from "./yamlSource";

interface Target {
  segments: string[];
  kind: "key" | "value";
  start: number;
  end: number;
  /** The scalar under the cursor, for value hovers. */
  value?: unknown;
}

export function policyHover(text: string, offset: number): { markdown: string; range: Range } | undefined {
  if (Buffer.byteLength(text, "utf8") > maxPolicyBytes) return undefined;
  try {
    const lineCounter = new LineCounter();
    const composition = composeYaml(text, lineCounter);
    if (composition.document === undefined) return undefined;
    const target = targetAt(composition.document.contents as Node | null, offset, []);
    if (target === undefined) return undefined;
    const markdown = markdownFor(target);
    return markdown === undefined ? undefined : { markdown, range: rangeFromOffsets(lineCounter, text, target.start, target.end) };
  } catch {
    return undefined;
  }
}

function contains(range: readonly number[] | null | undefined, offset: number): boolean {
  return range != null && range[0] <= offset && offset <= range[1];
}

/** The key or scalar value under the cursor, with its path from the root. */
function targetAt(node: Node | null, offset: number, segments: string[]): Target | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value ?? "");
      if (contains(pair.key.range, offset)) return { segments: [...segments, name], kind: "key", start: pair.key.range![0], end: pair.key.range![1] };
      const value = pair.value as Node | null;
      if (value && contains(value.range, offset)) {
        if (isScalar(value)) return { segments: [...segments, name], kind: "value", start: value.range![0], end: value.range![1], value: value.value };
        return targetAt(value, offset, [...segments, name]);
      }
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const itemNode = item as Node | null;
      if (!itemNode || !contains(itemNode.range, offset)) continue;
      if (isScalar(itemNode)) return { segments: [...segments, String(index)], kind: "value", start: itemNode.range![0], end: itemNode.range![1], value: itemNode.value };
      return targetAt(itemNode, offset, [...segments, String(index)]);
    }
  }
  return undefined;
}

function markdownFor(target: Target): string | undefined {
  const { segments } = target;
  const last = segments[segments.length - 1];
  if (segments.length === 2 && segments[0] === "rules" && target.kind === "key") return ruleMarkdown(last);
  if (target.kind === "value" && segments[0] === "exceptions" && last === "rule" && typeof target.value === "string") return ruleMarkdown(target.value);
  if (target.kind === "value" && segments[0] === "extends" && (target.value === "recommended" || target.value === "strict")) return bundledMarkdown(target.value);
  const schema = schemaAt(segments);
  if (schema === undefined) return undefined;
  const keyName = [...segments].reverse().find((segment) => !/^\d+$/.test(segment)) ?? "";
  const description = describe(schema);
  if (description === undefined) return undefined;
  const heading = `**${keyName}**`;
  if (target.kind === "value") {
    const meaning = enumMeaning(schema, target.value);
    if (meaning !== undefined) return `\`${String(target.value)}\`: ${meaning}\n\n---\n\n${heading}: ${description}`;
  }
  return `${heading}\n\n${description}`;
}

function describe(schema: SchemaNode): string | undefined {
  return schema.markdownDescription ?? schema.description ?? schema.anyOf?.map(describe).find((text) => text !== undefined);
}

/** What a value of an enum means, from `markdownEnumDescriptions` (searched through anyOf branches). */
function enumMeaning(schema: SchemaNode, value: unknown): string | undefined {
  for (const candidate of [schema, ...(schema.anyOf ?? [])]) {
    const index = candidate.enum?.indexOf(value) ?? -1;
    if (index >= 0 && candidate.markdownEnumDescriptions?.[index] !== undefined) return candidate.markdownEnumDescriptions[index];
  }
  return undefined;
}

function schemaAt(segments: readonly string[]): SchemaNode | undefined {
  let current: SchemaNode | undefined = policySchema();
  for (const segment of segments) {
    if (current === undefined) return undefined;
    current = childSchema(current, segment);
  }
  return current;
}

function childSchema(schema: SchemaNode, segment: string): SchemaNode | undefined {
  if (schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, segment)) return schema.properties[segment];
  if (/^\d+$/.test(segment) && schema.items) return schema.items;
  if (typeof schema.additionalProperties === "object") return schema.additionalProperties;
  for (const branch of schema.anyOf ?? []) {
    const found = childSchema(branch, segment);
    if (found) return found;
  }
  return undefined;
}

function ruleMarkdown(ruleId: string): string | undefined {
  const rule = findRule(ruleId);
  if (!rule) return undefined;
  const { meta } = rule;
  const facts = [`default severity: ${meta.defaultSeverity}`, `type-aware: ${meta.typeAware ? "yes" : "no"}`, `fix: ${meta.fixable ? "yes" : "no"}`].join(" · ");
  return `**${meta.id}** (rule)\n\n${meta.description}\n\n${facts}\n\n[Documentation](${ruleDocsUri(meta.id)})`;
}

function bundledMarkdown(name: "recommended" | "strict"): string {
  const summary =
    name === "recommended"
      ? "Rule default severities; mechanical fixes that are proven to keep the program's meaning (prefer-const, no-var, loose-equality, ts-ignore, unused-import) apply on their own, every other fix waits for review; at most 20 files and 500 lines per automated change."
      : "Extends recommended: floating-promise, no-explicit-any, ts-ignore and import-cycle are errors, every fix waits for review, and an automated change touches at most 5 files and 200 lines.";
  return `**${name}** (bundled policy)\n\n${summary}\n\n[Open ${name}.yaml](${pathToFileURL(path.join(bundledPoliciesFolder(), `${name}.yaml`)).href})`;
}
