/** `selfheal policy check|explain|test`: the policy file's own tooling, for CI and for people writing one. */
import { didYouMean } from "../../engine/policy/suggest";
import { UsageError } from "../args";
import type { CliIo } from "../check";
import { checkPolicies } from "./checkPolicies";
import { explainPolicy } from "./explainPolicy";
import { testPolicies } from "./testPolicies";

const subcommands = ["check", "explain", "test"];

export function policyCommand(argv: string[], io: CliIo, cwd: string = process.cwd()): number {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case "check":
      return checkPolicies(rest, io, cwd);
    case "explain":
      return explainPolicy(rest, io, cwd);
    case "test":
      return testPolicies(rest, io, cwd);
    case undefined:
      throw new UsageError(`policy needs a subcommand: ${subcommands.join(", ")}`);
    default:
      throw new UsageError(`unknown policy subcommand '${subcommand}'${didYouMean(subcommand, subcommands) || ` (subcommands: ${subcommands.join(", ")})`}`);
  }
}
