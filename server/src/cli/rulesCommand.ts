import { ruleDocsUri } from "../engine/docs";
import { allRules } from "../engine/rules";
import { oneOf, parseArgs } from "./args";
import type { CliIo } from "./check";
import { ExitCode } from "./exitCodes";

export function rulesCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ["format"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  const rules = allRules.map(({ meta }) => ({ ...meta, docs: ruleDocsUri(meta.id) }));
  if (format === "json") {
    io.stdout(JSON.stringify({ rules }, null, 2) + "\n");
    return ExitCode.ok;
  }
  for (const rule of rules) {
    const traits = [rule.defaultSeverity, rule.typeAware ? "type-aware" : "syntactic", rule.fixable ? "fixable" : "no fix", rule.scope === "workspace" ? "workspace" : "per file"];
    io.stdout(`${rule.id.padEnd(20)} ${rule.description}\n${" ".repeat(21)}${traits.join(" · ")}\n`);
  }
  return ExitCode.ok;
}
