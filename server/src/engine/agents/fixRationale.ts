/**
 * Why each rule's fix keeps the program's meaning, in one sentence: the short form of the
 * "fix" section of the rule's page in docs/rules/. It goes into the plan's rationale, and from
 * there into the ledger, so a reviewer reads the argument next to the change.
 */
const whyFixesKeepMeaning: Readonly<Record<string, string>> = {
  "prefer-const": "Only the keyword changes, and only where nothing writes the variable and its type stays the same (docs/rules/prefer-const.md).",
  "no-var": "Only the keyword changes, and only where every use is inside the block, after the declaration, with no closure in a loop, so scoping is unchanged (docs/rules/no-var.md).",
  "loose-equality": "Only the operator changes, and only where the checker proves both sides are of one primitive kind, so no conversion can happen and `===` gives the same result (docs/rules/loose-equality.md).",
  "ts-ignore": "TypeScript itself decided which directives suppress an error: those keep it suppressed as `@ts-expect-error`, the others suppress nothing and go (docs/rules/ts-ignore.md).",
  "unused-import": "The removed names are never used, so TypeScript already drops them when it compiles; a file that would stop being a module keeps `export {}` (docs/rules/unused-import.md).",
  "floating-promise": "`void` changes nothing at run time: it states that the result is ignored on purpose (docs/rules/floating-promise.md).",
  "console-call": "Only calls whose arguments are inert are removed, so nothing but the output goes (docs/rules/console-call.md).",
  "deprecated-usage": "The replacement named by the @deprecated tag resolves at the use site and accepts the same arguments, so the code type-checks the same way (docs/rules/deprecated-usage.md).",
  "no-explicit-any": "`unknown` accepts everything `any` did, so callers never break; the verifier's type check decides whether the code using the value still compiles (docs/rules/no-explicit-any.md).",
};

export function whyFixKeepsMeaning(ruleId: string): string {
  return whyFixesKeepMeaning[ruleId] ?? "The rule offers this fix only where it can show the program's meaning is kept; the verifier type-checks the change before it lands.";
}
