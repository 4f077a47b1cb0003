#!/usr/bin/env node
/**
 * The single server-side entry point. `selfheal lsp` starts the language server (the VS Code
 * extension launches exactly this, over IPC); every other command is the CLI.
 */
import { main, version } from "./cli/main";
import { startServer } from "./lsp/server";

if (process.argv[2] === "lsp") {
  // vscode-languageserver reads --stdio / --node-ipc / --socket from process.argv.
  startServer(version);
} else {
  // A failed write (disk full, closed pipe) loses the report: exit 3, not Node's crash with 1,
  // which CI would read as "findings".
  let outputFailed = false;
  process.stdout.on("error", (error) => {
    if (!outputFailed) process.stderr.write(`selfheal: cannot write the output: ${error.message}\n`);
    outputFailed = true;
    process.exitCode = 3;
  });
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true && !process.env.NO_COLOR,
    version,
  }).then(
    (code) => {
      process.exitCode = outputFailed ? 3 : code;
    },
    (error: unknown) => {
      process.stderr.write(`selfheal: ${String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
