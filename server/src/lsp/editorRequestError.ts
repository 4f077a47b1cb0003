import { ErrorCodes, ResponseError } from "vscode-languageserver/node";
import { PlanError } from "../engine/agents/messages";
import { LedgerError } from "../engine/ledger/ledgerError";
import { ArgumentError } from "./commandArguments";
import { EditorError } from "./editorMessages";

/**
 * A refusal as a request's error response, its message starting with the stable id (the
 * extension shows it as it is). Anything else is a bug and stays an internal error, with its stack in the log.
 */
export function editorRequestError(error: unknown): unknown {
  if (error instanceof EditorError || error instanceof PlanError || error instanceof LedgerError) return new ResponseError(ErrorCodes.InvalidRequest, `${error.id}: ${error.message}`);
  if (error instanceof ArgumentError) return new ResponseError(ErrorCodes.InvalidParams, `editor-bad-arguments: ${error.message}`);
  return error;
}
