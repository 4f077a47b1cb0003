import { describeError } from "../engine/analysis/engine";
import { UsageError } from "./args";
import { checkCommand, type CliIo } from "./check";
import { ExitCode } from "./exitCodes";
import { rulesCommand } from "./rulesCommand";

declare const SELFHEAL_VERSION: string | undefined;
const version = typeof SELFHEAL_VERSION === "string" ? SELFHEAL_VERSION : "0.0.0-dev";

const usage = `selfheal ${version}: contract drift and anti-pattern analysis for TypeScript workspaces

Usage:
  selfheal check [FOLDER] [--format text|json|sarif] [--fail-on error|warning|never]
                          [--max-file-size-kb N] [--no-type-aware] [--verbose]
  selfheal rules [--format text|json]
  selfheal lsp [--stdio | --node-ipc | --socket=PORT]   start the language server
  selfheal --version | --help

Exit codes: 0 ok, 1 findings at or above --fail-on (default: error), 2 usage error, 3 internal error.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return await checkCommand(rest, io);
      case "rules":
        return rulesCommand(rest, io);
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
