import * as ts from "typescript";

export interface Replacement {
  /** As written in the tag: `newName`, or `Api.newName` for a member. */
  name: string;
  /** The declaration the tag means, when TypeScript can tell (a `{@link}` or a name in scope where the tag is written). */
  symbol: ts.Symbol | undefined;
}

const namePattern = "[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$#][\\w$]*)*";
/** "Use newName", "use `newName()` instead", "Replaced by newName", "Prefer newName". */
const prose = new RegExp(`\\b(?:[Uu]se|[Rr]eplaced (?:by|with)|[Pp]refer)\\s+\`?(${namePattern})(?:\\(\\))?\`?`);

/** The replacement a `@deprecated` tag names, by `{@link}` first and by wording second. */
export function replacementNamed(tag: ts.JSDocDeprecatedTag, checker: ts.TypeChecker): Replacement | undefined {
  const comment = tag.comment;
  if (comment && typeof comment !== "string") {
    for (const part of comment) {
      if ((ts.isJSDocLink(part) || ts.isJSDocLinkCode(part) || ts.isJSDocLinkPlain(part)) && part.name) {
        const symbol = checker.getSymbolAtLocation(part.name);
        return { name: part.name.getText(), symbol: symbol && resolveAlias(symbol, checker) };
      }
    }
  }
  const match = prose.exec(ts.getTextOfJSDocComment(comment) ?? "");
  if (!match) return undefined;
  const name = match[1];
  // Resolved where the tag is written, so "Use newName" means the newName the author saw.
  const host = tag.parent.parent;
  const symbol = name.includes(".") ? undefined : checker.resolveName(name, host, ts.SymbolFlags.Value | ts.SymbolFlags.Type, false);
  return { name, symbol: symbol && resolveAlias(symbol, checker) };
}

/**
 * The replacement of a name deprecated as a whole: every declaration carries the tag (an alias
 * "Restore compatibility" writes for a class has two, the value's and the type's) and every tag
 * names the same declaration. Undefined for a name deprecated only in some overloads or
 * declarations, or whose tags disagree or name nothing TypeScript resolves.
 */
export function replacementOfName(symbol: ts.Symbol, checker: ts.TypeChecker): Replacement | undefined {
  const declarations = symbol.declarations ?? [];
  let agreed: Replacement | undefined;
  for (const declaration of declarations) {
    const tag = ts.getJSDocDeprecatedTag(declaration);
    const replacement = tag && replacementNamed(tag, checker);
    if (!replacement?.symbol) return undefined;
    if (agreed && (agreed.name !== replacement.name || agreed.symbol !== replacement.symbol)) return undefined;
    agreed = replacement;
  }
  return agreed;
}

function resolveAlias(symbol: ts.Symbol, checker: ts.TypeChecker): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The tag's text for a message: `{@link name}` becomes `name` in backticks, the way editors show it. */
export function reasonOf(tag: ts.JSDocDeprecatedTag): string {
  const comment = tag.comment;
  if (comment === undefined || typeof comment === "string") return (comment ?? "").trim();
  return comment
    .map((part) => {
      if (!ts.isJSDocLink(part) && !ts.isJSDocLinkCode(part) && !ts.isJSDocLinkPlain(part)) return part.text;
      const label = part.text.replace(/^\s*\|?\s*/, "").trim();
      return label || (part.name ? `\`${part.name.getText()}\`` : "");
    })
    .join("")
    .trim();
}
