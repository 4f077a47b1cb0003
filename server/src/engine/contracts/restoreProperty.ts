/**
 * "Restore compatibility" for an optional property that is gone from an interface, an object
 * type alias or a class: declare it again, optional and deprecated, with its baseline type, so
 * code that reads or sets it compiles. Nothing reads it any more, which the tag says.
 */
import * as ts from "typescript";
import type { TextEdit } from "../findings";
import { normalizePath } from "../workspace/paths";
import type { ApiExport, ApiMember, ApiSurface, ContractChange } from "./model";
import { namesResolveAt, parseTypeText } from "./namesInScope";
import { describedAt, nodeAtChange, type RestoreContext, type RestoreFix } from "./restoreContext";
import { deprecatedDoc, indentationAt, indentationUnitOf, insertAt, lineEndingOf } from "./sourceInsertion";

type Container = ts.InterfaceDeclaration | ts.ClassDeclaration | ts.TypeLiteralNode;

export function restoredPropertyFix(change: ContractChange, context: RestoreContext): RestoreFix | undefined {
  const found = baselineMember(context.input.baseline.api, change.symbol);
  if (!found || found.member.kind !== "property" || !found.member.optional || found.member.visibility === "private" || found.member.type === undefined) return undefined;
  const isStatic = found.key.startsWith("static ");
  const name = isStatic ? found.key.slice("static ".length) : found.key;
  // A computed key (`[Symbol.iterator]`) is written as the checker saw it, not as it was declared.
  if (name.startsWith("[")) return undefined;
  const sourceFile = context.editableSource(change.file);
  const container = sourceFile && containerAt(sourceFile, change);
  if (!sourceFile || !container) return undefined;
  if (ts.isClassDeclaration(container) !== (found.kind === "class")) return undefined;
  const typeNode = parseTypeText(found.member.type);
  const scope = ts.isTypeLiteralNode(container) ? container : container.name;
  if (!typeNode || !scope || !namesResolveAt(typeNode, scope, context.checker)) return undefined;

  const modifiers = [found.member.visibility === "protected" ? "protected " : "", isStatic ? "static " : "", found.member.readonly ? "readonly " : ""].join("");
  const declared = `${modifiers}${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}?: ${found.member.type}`;
  const doc = deprecatedDoc(`No longer read since ${context.contract} after ${context.baselineVersion}; kept so existing code compiles.`);
  return {
    change,
    title: `Restore compatibility: restore the optional property \`${change.symbol}\` as deprecated`,
    rationale: [
      `Code written for ${context.contract} ${context.baselineVersion} reads or sets \`${change.symbol}\`; declared again as optional with its baseline type \`${found.member.type}\`, it compiles again, and uses of it are shown as deprecated.`,
      `Nothing reads the property any more: a value set on it is ignored, which can change behaviour silently for code that relied on it. The declaration only keeps that code compiling until it is migrated.`,
    ].join(" "),
    changes: [{ file: normalizePath(sourceFile.fileName), edits: [memberInsertion(sourceFile, container, doc, declared)] }],
  };
}

interface FoundMember {
  /** The key under which the member is described (`name`, `static name`). */
  key: string;
  member: ApiMember;
  kind: "class" | "interface";
}

/** The baseline member a dotted path names: the longest export path that is a prefix, then a member key of its shape. */
function baselineMember(api: ApiSurface, symbol: string): FoundMember | undefined {
  const search = (exports: Record<string, ApiExport>, prefix: string): FoundMember | undefined => {
    for (const name of Object.keys(exports)) {
      const path = prefix === "" ? name : `${prefix}.${name}`;
      if (!symbol.startsWith(`${path}.`)) continue;
      const described = describedAt(api, path);
      if (!described) continue;
      const key = symbol.slice(path.length + 1);
      const shapes = [["class", described.class], ["interface", described.interface], ["interface", described.typeAlias?.shape]] as const;
      for (const [kind, shape] of shapes) {
        const member = shape?.members && Object.hasOwn(shape.members, key) ? shape.members[key] : undefined;
        if (member) return { key, member, kind };
      }
      const nested = described.namespace && search(described.namespace.exports, path);
      if (nested) return nested;
    }
    return undefined;
  };
  return search(api.exports, "");
}

/** A removed member is located at its container's name (its nearest surviving parent). */
function containerAt(sourceFile: ts.SourceFile, change: ContractChange): Container | undefined {
  const named = nodeAtChange(
    sourceFile,
    change,
    (node, offset): node is ts.InterfaceDeclaration | ts.ClassDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name?.getStart(sourceFile) === offset,
  );
  if (!named || !ts.isTypeAliasDeclaration(named)) return named;
  return ts.isTypeLiteralNode(named.type) ? named.type : undefined;
}

/**
 * The member goes last. On its own lines before the closing brace when that brace starts its
 * line (indented like the last member); inline before it otherwise (`{ a: string; … }`).
 */
function memberInsertion(sourceFile: ts.SourceFile, container: Container, doc: string, declared: string): TextEdit {
  const text = sourceFile.text;
  const members: readonly ts.Node[] = container.members;
  const close = container.getEnd() - 1;
  const last = members.at(-1);
  const lineStart = text.lastIndexOf("\n", close - 1) + 1;
  const separator = last && last.getText(sourceFile).endsWith(",") && !ts.isClassDeclaration(container) ? "," : ";";
  if (/^[ \t]*$/.test(text.slice(lineStart, close))) {
    const eol = lineEndingOf(text);
    const indent = last ? indentationAt(text, last.getStart(sourceFile)) : indentationAt(text, close) + indentationUnitOf(text);
    return insertAt(sourceFile, lineStart, `${indent}${doc}${eol}${indent}${declared}${separator}${eol}`);
  }
  if (!last) return insertAt(sourceFile, close, ` ${doc} ${declared}${separator} `);
  const lastText = last.getText(sourceFile);
  // Class members need no separator between them; type members do.
  const needsSeparator = !ts.isClassDeclaration(container) && !lastText.endsWith(";") && !lastText.endsWith(",");
  return insertAt(sourceFile, last.getEnd(), `${needsSeparator ? separator : ""} ${doc} ${declared}${separator}`);
}
