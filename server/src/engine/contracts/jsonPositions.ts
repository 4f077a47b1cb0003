/**
 * JSON with positions: TypeScript's own JSON parser (`ts.parseJsonText`, what reads tsconfig
 * files) gives a syntax tree with offsets and reports syntax errors, so a schema's or a
 * baseline's problems and changes can point at the line they are on without another parser.
 */
import * as ts from "typescript";
import type { Range } from "../findings";
import { rangeOf } from "../text";

export interface JsonSyntaxError {
  message: string;
  range: Range;
}

export class JsonDocument {
  readonly value: unknown;
  readonly errors: JsonSyntaxError[];
  private readonly sourceFile: ts.JsonSourceFile;

  constructor(file: string, readonly text: string) {
    this.sourceFile = ts.parseJsonText(file, text);
    const diagnostics = (this.sourceFile as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
    this.errors = diagnostics.map((diagnostic) => ({
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " "),
      range: rangeOf(this.sourceFile, diagnostic.start ?? 0, (diagnostic.start ?? 0) + (diagnostic.length ?? 0)),
    }));
    const conversionErrors: ts.Diagnostic[] = [];
    const value: unknown = this.errors.length === 0 ? ts.convertToObject(this.sourceFile, conversionErrors) : undefined;
    for (const diagnostic of conversionErrors) this.errors.push({ message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " "), range: rangeOf(this.sourceFile, diagnostic.start ?? 0, (diagnostic.start ?? 0) + (diagnostic.length ?? 0)) });
    this.value = this.errors.length === 0 ? value : undefined;
  }

  /** The range of the property name (or array element) at an RFC 6901 pointer; the nearest existing ancestor when it is absent. */
  rangeOf(pointer: string): Range {
    const { located } = this.walk(pointer);
    if (!located) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return rangeOf(this.sourceFile, located.getStart(this.sourceFile), located.getEnd());
  }

  /** The range of the value at a pointer (what an edit replaces), undefined when there is none. */
  valueRangeOf(pointer: string): Range | undefined {
    const { value, complete } = this.walk(pointer);
    return complete && value ? rangeOf(this.sourceFile, value.getStart(this.sourceFile), value.getEnd()) : undefined;
  }

  private walk(pointer: string): { located: ts.Node | undefined; value: ts.Node | undefined; complete: boolean } {
    let node: ts.Node | undefined = this.sourceFile.statements[0]?.expression;
    let located: ts.Node | undefined = node;
    for (const token of parsePointer(pointer)) {
      if (!node) return { located, value: undefined, complete: false };
      if (ts.isObjectLiteralExpression(node)) {
        const property: ts.PropertyAssignment | undefined = node.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && propertyName(candidate) === token);
        if (!property) return { located, value: undefined, complete: false };
        located = property.name;
        node = property.initializer;
      } else if (ts.isArrayLiteralExpression(node)) {
        const element: ts.Expression | undefined = node.elements[Number(token)];
        if (!/^\d+$/.test(token) || !element) return { located, value: undefined, complete: false };
        located = element;
        node = element;
      } else return { located, value: undefined, complete: false };
    }
    return { located, value: node, complete: true };
  }
}

function propertyName(property: ts.PropertyAssignment): string | undefined {
  const name = property.name;
  return ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => "/" + String(token).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}
