/**
 * The JSDoc tags that change what a declaration promises: release tags (TSDoc's `@internal`,
 * `@alpha`, `@beta`; `@experimental` counts as beta, as in API Extractor) and `@deprecated`.
 */
import * as ts from "typescript";
import type { ApiDocTags, ReleaseTag } from "./model";

export interface DocTags extends ApiDocTags {
  /** `@internal`: not part of the contract at all. */
  internal: boolean;
}

/** The tags of one declaration (a variable's come from its statement, as the editor shows them). */
export function docTagsOf(declaration: ts.Node | undefined): DocTags {
  const tags: DocTags = { internal: false };
  if (!declaration) return tags;
  for (const tag of ts.getJSDocTags(declaration)) {
    const name = tag.tagName.text;
    if (name === "internal") tags.internal = true;
    else if (name === "alpha") tags.release = "alpha";
    else if ((name === "beta" || name === "experimental") && tags.release !== "alpha") tags.release = "beta";
    else if (name === "deprecated") tags.deprecated = (ts.getTextOfJSDocComment(tag.comment) ?? "").trim();
  }
  return tags;
}

/**
 * The tags of a symbol with several declarations (overloads, merged interfaces): internal only
 * when every declaration says so, since a public overload keeps the name public; the least
 * stable release tag and any deprecation win.
 */
export function mergedDocTags(declarations: readonly ts.Node[] | undefined): DocTags {
  const all = (declarations ?? []).map(docTagsOf);
  const merged: DocTags = { internal: all.length > 0 && all.every((tags) => tags.internal) };
  const release: ReleaseTag | undefined = all.some((tags) => tags.release === "alpha") ? "alpha" : all.some((tags) => tags.release === "beta") ? "beta" : undefined;
  if (release) merged.release = release;
  const deprecated = all.find((tags) => tags.deprecated !== undefined)?.deprecated;
  if (deprecated !== undefined) merged.deprecated = deprecated;
  return merged;
}

/** Only the fields a description stores. */
export function publicTags(tags: DocTags): ApiDocTags {
  return { ...(tags.release ? { release: tags.release } : {}), ...(tags.deprecated !== undefined ? { deprecated: tags.deprecated } : {}) };
}
