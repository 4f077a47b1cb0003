import * as assert from "node:assert/strict";
import type { InitializeParams } from "vscode-languageserver/node";
import { capabilitiesOf, clientFeaturesOf, noClientAbilities } from "../../../server/src/lsp/clientCapabilities";

const params = (overrides: Partial<InitializeParams>): InitializeParams => ({ processId: null, rootUri: null, capabilities: {}, ...overrides });

/** Roughly what VS Code announces: everything the server asks about. */
const fullClient: InitializeParams["capabilities"] = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true }, resourceOperations: ["create", "rename", "delete"] },
    codeLens: { refreshSupport: true },
  },
  textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { disabledSupport: true } },
};

describe("lsp: capabilitiesOf", () => {
  it("reads a client that announces nothing as able to do nothing", () => {
    assert.deepEqual(capabilitiesOf(params({})), noClientAbilities);
    assert.ok(Object.values(noClientAbilities).every((able) => able === false));
  });

  it("reads every capability the server uses from a client that announces them all", () => {
    const abilities = capabilitiesOf(params({ capabilities: fullClient }));
    assert.deepEqual(Object.keys(abilities).sort(), Object.keys(noClientAbilities).sort());
    for (const [name, able] of Object.entries(abilities)) assert.equal(able, true, name);
  });

  it("reads each capability from its own field", () => {
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { configuration: true } } })).configuration, true);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { configuration: true } } })).watchedFiles, false);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } })).watchedFiles, true);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { didChangeConfiguration: { dynamicRegistration: true } } } })).configurationChangeRegistration, true);
    assert.equal(capabilitiesOf(params({ capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } } })).relatedInformation, true);
    assert.equal(capabilitiesOf(params({ capabilities: { textDocument: { codeAction: { disabledSupport: true } } } })).codeActionDisabled, true);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { codeLens: { refreshSupport: true } } } })).codeLensRefresh, true);
  });

  it("counts a capability as missing unless the client says exactly true (watching without dynamic registration is no use to us)", () => {
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } } })).watchedFiles, false);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { didChangeWatchedFiles: {} } } })).watchedFiles, false);
    const loose = { workspace: { configuration: "yes", applyEdit: 1 } } as unknown as InitializeParams["capabilities"];
    assert.equal(capabilitiesOf(params({ capabilities: loose })).configuration, false);
    assert.equal(capabilitiesOf(params({ capabilities: loose })).applyEdit, false);
  });

  it("counts change annotations as supported when the client describes its support, even with no options", () => {
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { workspaceEdit: { changeAnnotationSupport: {} } } } })).changeAnnotations, true);
    assert.equal(capabilitiesOf(params({ capabilities: { workspace: { workspaceEdit: { documentChanges: true } } } })).changeAnnotations, false);
  });

  it("counts file operations as supported only when the client can both create and delete files", () => {
    const withOperations = (resourceOperations: string[]) => capabilitiesOf(params({ capabilities: { workspace: { workspaceEdit: { resourceOperations } } } as InitializeParams["capabilities"] })).createAndDelete;
    assert.equal(withOperations(["create", "delete"]), true);
    assert.equal(withOperations(["create", "rename"]), false);
    assert.equal(withOperations(["delete"]), false);
    assert.equal(withOperations([]), false);
  });
});

describe("lsp: clientFeaturesOf", () => {
  it("takes the features our extension announces in its initialization options", () => {
    assert.deepEqual(clientFeaturesOf(params({ initializationOptions: { clientFeatures: { saveDocuments: true, previewCommands: true } } })), { saveDocuments: true, previewCommands: true });
  });

  it("gives no features to a client without initialization options, or with anything but an object", () => {
    assert.deepEqual(clientFeaturesOf(params({})), {});
    assert.deepEqual(clientFeaturesOf(params({ initializationOptions: { settings: {} } })), {});
    assert.deepEqual(clientFeaturesOf(params({ initializationOptions: { clientFeatures: null } })), {});
    assert.deepEqual(clientFeaturesOf(params({ initializationOptions: { clientFeatures: "saveDocuments" } })), {});
  });
});
