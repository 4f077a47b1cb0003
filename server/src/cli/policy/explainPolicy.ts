/**
 * `selfheal policy explain FILE [--rule R]`: which policy governs a file and, rule by rule, what
 * it says there and which line says it, so "why is this fix denied here?" has an answer without
 * reading three policy files.
 */
import * as fs from "node:fs";
import type { PolicyException, PolicyOrigin } from "../../engine/policy/model";
import { ruleFallback } from "../../engine/policy/policyTests";
import { didYouMean } from "../../engine/policy/suggest";
import { allRules } from "../../engine/rules";
import { oneOf, parseArgs, UsageError } from "../args";
import type { CliIo } from "../check";
import { ExitCode } from "../exitCodes";
import { discoverPolicyFiles, displayFile, displayOrigin, jsonOrigin, loadPolicySet, resolveTarget } from "./policyWorkspace";

export function explainPolicy(argv: string[], io: CliIo, cwd: string): number {
  const args = parseArgs(argv, ["format", "rule"], []);
  const format = oneOf("format", args.flags.get("format"), ["text", "json"] as const, "text");
  if (args.positionals.length !== 1) throw new UsageError("policy explain takes one file: selfheal policy explain FILE [--rule R]");
  const ruleIds = allRules.map((rule) => rule.meta.id);
  const ruleFlag = args.flags.get("rule");
  if (ruleFlag !== undefined && !ruleIds.includes(String(ruleFlag))) throw new UsageError(`unknown rule '${String(ruleFlag)}'${didYouMean(String(ruleFlag), ruleIds) || ` (rules: ${ruleIds.join(", ")})`}`);
  const target = resolveTarget(args.positionals[0], cwd, "file");
  const file = target.path;
  const policies = loadPolicySet(target.workspaceFolder, discoverPolicyFiles(target.workspaceFolder));
  const governing = policies.governing(file);
  const scope = governing.policy.scope(file);
  const show = (origin: PolicyOrigin | undefined) => jsonOrigin(origin, cwd) ?? null;

  const explanation = {
    file: displayFile(file, cwd),
    exists: fs.existsSync(file),
    policy: governing.policyFile ? displayFile(governing.policyFile, cwd) : null,
    /** This policy, then what it extends; the bundled recommended policy alone where no file governs. */
    chain: governing.policy.chain.map((entry) => displayFile(entry, cwd)),
    broken: governing.broken
      ? { id: governing.broken.id, file: displayFile(governing.broken.file, cwd), line: governing.broken.range.start.line + 1, column: governing.broken.range.start.character + 1, message: governing.broken.message }
      : null,
    scope: { inScope: scope.inScope, origin: show(scope.origin) },
    rules: (ruleFlag === undefined ? ruleIds : [String(ruleFlag)]).map((ruleId) => {
      const config = policies.ruleConfig(file, ruleId, ruleFallback(ruleId));
      const decision = policies.decide({ ruleId, files: [file], linesTouched: 1 });
      const exception = policies.exceptionFor(file, ruleId);
      return {
        id: ruleId,
        severity: config.severity,
        severityOrigin: show(config.severityOrigin),
        options: config.options,
        optionsOrigin: show(config.optionsOrigin),
        autofix: config.autofix,
        autofixOrigin: show(config.autofixOrigin),
        /** For a one-file, one-line fix in this file: `off` when the fix is not even offered. */
        decision: decision.offered ? decision.outcome : "off",
        reasons: decision.reasons.map((reason) => ({ outcome: reason.outcome, message: reason.message, origin: show(reason.origin) })),
        exception: exception ? exceptionJson(exception, cwd) : null,
      };
    }),
  };

  if (format === "json") {
    io.stdout(JSON.stringify(explanation, null, 2) + "\n");
    return ExitCode.ok;
  }
  const lines: string[] = [explanation.file + (explanation.exists ? "" : "  (no such file yet: explained by its path)")];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(10)} ${text}`);
  row("policy", explanation.policy ?? "none: the bundled recommended policy applies");
  if (explanation.chain.length > 1) row("extends", explanation.chain.slice(1).join(" → "));
  if (governing.broken) {
    const broken = explanation.broken!;
    row("broken", `${broken.file}:${broken.line}:${broken.column}: ${broken.message}`);
    row("", "no automated change is allowed until it is fixed; analysis uses the last good version (here: the bundled recommended policy)");
  }
  const scopeWhy = scope.origin ? `  (${scope.origin.key}, ${displayOrigin(scope.origin, cwd)})` : scope.inScope ? " (no include list, and no exclude glob matches)" : " (outside the policy's folder)";
  row("scope", `${scope.inScope ? "in scope" : "out of scope: not analyzed, and automation may not change it"}${scopeWhy}`);
  for (const rule of explanation.rules) {
    const config = policies.ruleConfig(file, rule.id, ruleFallback(rule.id));
    lines.push("", rule.id);
    row("severity", `${rule.severity.padEnd(8)} ${where(config.severityOrigin, cwd, "the rule's default")}`);
    const options = Object.entries(rule.options);
    row("options", options.length === 0 ? "none" : `${options.map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(", ")}  ${where(config.optionsOrigin, cwd, "the rule's defaults")}`);
    row("autofix", `${rule.decision.padEnd(8)} for a one-line fix in this file${rule.decision === "off" ? " (not offered)" : ""}`);
    for (const reason of rule.reasons) row("", `${reason.outcome.padEnd(8)} ${reason.message}${reason.origin ? `  (${reason.origin.file}:${reason.origin.line})` : ""}`);
    row("exception", rule.exception ? `${rule.exception.reason} (owner: ${rule.exception.owner}, until ${rule.exception.expires})  (${rule.exception.origin.file}:${rule.exception.origin.line})` : "none");
  }
  io.stdout(lines.join("\n") + "\n");
  return ExitCode.ok;
}

function where(origin: PolicyOrigin | undefined, cwd: string, fallback: string): string {
  return origin ? `${displayOrigin(origin, cwd)} (${origin.key})` : fallback;
}

function exceptionJson(exception: PolicyException, cwd: string) {
  return { paths: exception.paths, reason: exception.reason, owner: exception.owner, expires: exception.expires, origin: jsonOrigin(exception.origin, cwd)! };
}
