/**
 * What the client can do, read once from its `initialize` request. Everything the server does
 * differently per editor (register watchers, attach related information, offer previews, build
 * workspace edits) asks this, so a capability is interpreted in one place.
 */
import { type InitializeParams, ResourceOperationKind } from "vscode-languageserver/node";
import type { ClientFeatures, InitializationOptions } from "../protocol/customMessages";

export interface ClientAbilities {
  configuration: boolean;
  configurationChangeRegistration: boolean;
  watchedFiles: boolean;
  relatedInformation: boolean;
  workspaceFolders: boolean;
  codeActionDisabled: boolean;
  applyEdit: boolean;
  documentChanges: boolean;
  changeAnnotations: boolean;
  createAndDelete: boolean;
  /** The client re-asks for CodeLenses when told to (`workspace/codeLens/refresh`). */
  codeLensRefresh: boolean;
}

/** Before `initialize` the client has said nothing, so it can do nothing. */
export const noClientAbilities: ClientAbilities = {
  configuration: false,
  configurationChangeRegistration: false,
  watchedFiles: false,
  relatedInformation: false,
  workspaceFolders: false,
  codeActionDisabled: false,
  applyEdit: false,
  documentChanges: false,
  changeAnnotations: false,
  createAndDelete: false,
  codeLensRefresh: false,
};

export function capabilitiesOf(params: InitializeParams): ClientAbilities {
  const client = params.capabilities;
  return {
    configuration: client.workspace?.configuration === true,
    configurationChangeRegistration: client.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchedFiles: client.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    relatedInformation: client.textDocument?.publishDiagnostics?.relatedInformation === true,
    workspaceFolders: client.workspace?.workspaceFolders === true,
    codeActionDisabled: client.textDocument?.codeAction?.disabledSupport === true,
    applyEdit: client.workspace?.applyEdit === true,
    documentChanges: client.workspace?.workspaceEdit?.documentChanges === true,
    changeAnnotations: client.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined,
    createAndDelete: [ResourceOperationKind.Create, ResourceOperationKind.Delete].every((kind) => client.workspace?.workspaceEdit?.resourceOperations?.includes(kind) === true),
    codeLensRefresh: client.workspace?.codeLens?.refreshSupport === true,
  };
}

/** Our own extension's features (initializationOptions.clientFeatures); anything else means none. */
export function clientFeaturesOf(params: InitializeParams): ClientFeatures {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  return typeof options.clientFeatures === "object" && options.clientFeatures !== null ? options.clientFeatures : {};
}
