import * as vscode from "vscode";
import { reanalyzeRequest, serverStatusRequest } from "../../server/src/protocol/customMessages";
import type { ServerHandle } from "./languageClient";

interface CommandSpec {
  id: string;
  /** Commands that talk to the server say so clearly when it is not running, instead of failing silently. */
  needsServer: boolean;
  run(server: ServerHandle, log: vscode.LogOutputChannel): Promise<unknown> | unknown;
}

/** Every command of the extension, in one table (package.json's `contributes.commands` lists the same ids). */
const commands: CommandSpec[] = [
  { id: "selfheal.restartServer", needsServer: false, run: (server) => server.restart() },
  { id: "selfheal.showOutput", needsServer: false, run: (_server, log) => log.show() },
  {
    id: "selfheal.reanalyzeWorkspace",
    needsServer: true,
    run: (server) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Self-Healing Code: re-analyzing" }, () => server.client!.sendRequest(reanalyzeRequest)),
  },
  {
    id: "selfheal.showServerStatus",
    needsServer: true,
    run: async (server, log) => {
      const status = await server.client!.sendRequest(serverStatusRequest);
      log.info(`server status: ${JSON.stringify(status, null, 2)}`);
      log.show();
      return status;
    },
  },
];

export function createCommands(server: ServerHandle, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return commands.map((spec) =>
    vscode.commands.registerCommand(spec.id, async () => {
      if (spec.needsServer && !server.isRunning()) {
        const action = await vscode.window.showErrorMessage(`Self-Healing Code: the language server is ${server.describeState()}, so this command cannot run.`, "Restart Server", "Show Output");
        if (action === "Restart Server") await server.restart();
        if (action === "Show Output") log.show();
        return undefined;
      }
      return spec.run(server, log);
    }),
  );
}

export const commandIds = commands.map((spec) => spec.id);
