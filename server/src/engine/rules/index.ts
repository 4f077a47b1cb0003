import { complexity } from "./complexity";
import { consoleCall } from "./consoleCall";
import { deprecatedUsage } from "./deprecatedUsage";
import { emptyCatch } from "./emptyCatch";
import { floatingPromise } from "./floatingPromise";
import { importCycle } from "./importCycle";
import { looseEquality } from "./looseEquality";
import { noExplicitAny } from "./noExplicitAny";
import { nonNullAssertion } from "./nonNullAssertion";
import { noVar } from "./noVar";
import { preferConst } from "./preferConst";
import { tsIgnore } from "./tsIgnore";
import { unusedImport } from "./unusedImport";
import type { FileRule, Rule, WorkspaceRule } from "./rule";

/** Every rule the engine knows, in the order `selfheal rules` lists them. */
export const allRules: readonly Rule[] = [
  noExplicitAny,
  floatingPromise,
  importCycle,
  // Anti-patterns (issue 3):
  emptyCatch,
  looseEquality,
  noVar,
  preferConst,
  consoleCall,
  tsIgnore,
  unusedImport,
  deprecatedUsage,
  nonNullAssertion,
  complexity,
];

export const fileRules: readonly FileRule[] = allRules.filter((rule): rule is FileRule => rule.meta.scope === "file");
export const workspaceRules: readonly WorkspaceRule[] = allRules.filter((rule): rule is WorkspaceRule => rule.meta.scope === "workspace");

export function findRule(id: string): Rule | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
