/**
 * What the editor asks of the agent pipeline: code actions (quick fixes that carry commands), the
 * commands themselves, previews of a change, and the ledger's entries.
 */
import { MessageType, ShowMessageNotification, type Connection } from "vscode-languageserver/node";
import {
  applyFixAllCommand,
  applyFixCommand,
  type ChangeOutcome,
  ledgerEntriesRequest,
  previewContentRequest,
  previewPlanRequest,
  rollbackEntryCommand,
} from "../protocol/customMessages";
import { codeActionsFor } from "./codeActions";
import { ArgumentError, entryReferenceOf, fixAllReferenceOf, fixReferenceOf, previewContentParamsOf, previewTargetOf } from "./commandArguments";
import { editorRequestError } from "./editorRequestError";
import { ledgerLocationsOf, listEntries } from "./ledgers";
import { type PipelineCommands, severityOf } from "./pipelineCommands";
import type { Previews } from "./previews";
import type { ServerSession } from "./serverSession";

export function registerEditorCommands(connection: Connection, session: ServerSession, parts: { pipelineCommands: PipelineCommands; previews: Previews }): void {
  const { engine } = session;
  const { pipelineCommands, previews } = parts;

  function tellUser(outcome: ChangeOutcome): ChangeOutcome {
    const type = { info: MessageType.Info, warning: MessageType.Warning, error: MessageType.Error }[severityOf(outcome)];
    void connection.sendNotification(ShowMessageNotification.type, { type, message: `${outcome.id}: ${outcome.message}` });
    return outcome;
  }

  connection.onCodeAction((params) =>
    codeActionsFor(engine, params, { disabledSupport: session.capabilities.codeActionDisabled, version: session.versionOf(params.textDocument.uri), previews: session.clientFeatures.previewCommands === true }),
  );

  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    try {
      switch (command) {
        case applyFixCommand:
          return tellUser(await pipelineCommands.applyFix(fixReferenceOf(args?.[0])));
        case applyFixAllCommand:
          return tellUser(await pipelineCommands.applyFixAll(fixAllReferenceOf(args?.[0])));
        case rollbackEntryCommand:
          return tellUser(await pipelineCommands.rollback(entryReferenceOf(args?.[0])));
        default:
          return tellUser({ id: "editor-bad-arguments", message: `the server has no command ${JSON.stringify(command)}`, applied: false });
      }
    } catch (error) {
      if (error instanceof ArgumentError) return tellUser({ id: "editor-bad-arguments", message: `${command}: ${error.message}; nothing was changed`, applied: false });
      throw error;
    }
  });

  connection.onRequest(previewPlanRequest, async (target) => {
    try {
      return await previews.summary(previewTargetOf(target));
    } catch (error) {
      throw editorRequestError(error);
    }
  });

  connection.onRequest(previewContentRequest, async (params) => {
    try {
      return { text: await previews.content(previewContentParamsOf(params)) };
    } catch (error) {
      throw editorRequestError(error);
    }
  });

  connection.onRequest(ledgerEntriesRequest, () => listEntries(ledgerLocationsOf(engine)));
}
