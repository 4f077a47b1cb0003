import { floatingPromise } from "./floatingPromise";
import { importCycle } from "./importCycle";
import { noExplicitAny } from "./noExplicitAny";
import type { FileRule, Rule, WorkspaceRule } from "./rule";

/** Every rule the engine knows, in the order `selfheal rules` lists them. */
export const allRules: readonly Rule[] = [noExplicitAny, floatingPromise, importCycle];

export const fileRules: readonly FileRule[] = allRules.filter((rule): rule is FileRule => rule.meta.scope === "file");
export const workspaceRules: readonly WorkspaceRule[] = allRules.filter((rule): rule is WorkspaceRule => rule.meta.scope === "workspace");

export function findRule(id: string): Rule | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
