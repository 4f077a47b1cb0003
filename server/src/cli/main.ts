import { describeError } from "../engine/analysis/engine";
import { UsageError } from "./args";
import { checkCommand, type CliIo } from "./check";
import { contractsCommand, contractsUsage } from "./contractsCommand";
import { ExitCode } from "./exitCodes";
import { fixCommand, fixUsage } from "./fixCommand";
import { ledgerCommand, ledgerUsage } from "./ledgerCommand";
import { policyCommand } from "./policy/policyCommand";
import { reportCommand, reportUsage } from "./reportCommand";
import { rulesCommand } from "./rulesCommand";

declare const SELFHEAL_VERSION: string | undefined;
const version = typeof SELFHEAL_VERSION === "string" ? SELFHEAL_VERSION : "0.0.0-dev";

const usage = `selfheal ${version}: contract drift and anti-pattern analysis for TypeScript workspaces

Usage:
  selfheal check [FOLDER] [--format text|json|sarif] [--fail-on error|warning|never]
                          [--max-file-size-kb N] [--no-type-aware] [--record-health] [--verbose]
  selfheal rules [--format text|json]
  selfheal policy check [PATH] [--format text|json]     problems in the policy files under PATH
  selfheal policy explain FILE [--rule R] [--format text|json]
                                                        what governs FILE, rule by rule, and which line says so
  selfheal policy test [PATH] [--format text|json]      run .selfheal/policy.test.yaml beside each policy
${contractsUsage}
${fixUsage}
${ledgerUsage}
${reportUsage}
  selfheal lsp [--stdio | --node-ipc | --socket=PORT]   start the language server
  selfheal --version | --help

Exit codes: 0 ok, 1 findings at or above --fail-on (default: error), 2 usage error, 3 internal error.
  policy check: 1 when a policy has an error (warnings such as expired exceptions do not fail);
  policy test: 1 when a case fails, a test file cannot be read or its policy is broken.
  ledger verify: 1 when the chain is broken or torn; ledger rollback: 1 when refused.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return await checkCommand(rest, io);
      case "rules":
        return rulesCommand(rest, io);
      case "policy":
        return policyCommand(rest, io);
      case "contracts":
        return await contractsCommand(rest, io);
      case "fix":
        return await fixCommand(rest, io);
      case "report":
        return await reportCommand(rest, io);
      case "ledger":
        return await ledgerCommand(rest, io);
      case "--version":
      case "-v":
        io.stdout(version + "\n");
        return ExitCode.ok;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(usage);
        return ExitCode.ok;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`selfheal: ${error.message}\n\n${usage}`);
      return ExitCode.usage;
    }
    io.stderr(`selfheal: internal error: ${describeError(error)}\n`);
    return ExitCode.internal;
  }
}

export { version };
