/**
 * The language server's state, shared by the handlers: the engine, the open documents, the
 * settings, and what the client said about itself in `initialize`. The handlers read it through
 * getters, so each sees the current value (settings change, the client is known only after
 * `initialize`), and only the session changes it.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { InitializeParams } from "vscode-languageserver/node";
import { Engine, type Logger } from "../engine/analysis/engine";
import type { ClientFeatures } from "../protocol/customMessages";
import { defaultSettings, type SelfhealSettings } from "../protocol/settings";
import { capabilitiesOf, clientFeaturesOf, type ClientAbilities, noClientAbilities } from "./clientCapabilities";
import { pathToUri, uriToPath } from "./uris";

export class ServerSession {
  readonly engine: Engine;
  /** The editor's documents, by URI, as the editor last sent them. */
  readonly documents = new Map<string, TextDocument>();
  private currentSettings: SelfhealSettings = defaultSettings;
  private currentCapabilities: ClientAbilities = noClientAbilities;
  private currentClientFeatures: ClientFeatures = {};
  private currentClientName: string | undefined;

  constructor(
    readonly version: string,
    readonly logger: Logger,
  ) {
    // Built from the session's settings, so the engine and the settings start out agreeing.
    this.engine = new Engine(engineSettingsOf(this.currentSettings), logger);
  }

  get settings(): SelfhealSettings {
    return this.currentSettings;
  }

  get capabilities(): ClientAbilities {
    return this.currentCapabilities;
  }

  get clientFeatures(): ClientFeatures {
    return this.currentClientFeatures;
  }

  get clientName(): string | undefined {
    return this.currentClientName;
  }

  /** What the client said about itself in `initialize`. */
  clientInitialized(params: InitializeParams): void {
    this.currentCapabilities = capabilitiesOf(params);
    this.currentClientName = params.clientInfo?.name;
    this.currentClientFeatures = clientFeaturesOf(params);
  }

  /** Returns true when the new settings change what the analysis computes, not only how findings read. */
  applySettings(next: SelfhealSettings): boolean {
    this.currentSettings = next;
    return this.engine.updateSettings(engineSettingsOf(next));
  }

  isOpen(file: string): boolean {
    return this.documents.has(pathToUri(file)) || this.engine.workspace.documents.isOpen(file);
  }

  /** The open document's version, or null for a document the editor has not opened. */
  versionOf(uri: string): number | null {
    const file = uriToPath(uri);
    const documents = this.engine.workspace.documents;
    return file !== undefined && documents.isOpen(file) ? (documents.openVersion(file) ?? null) : null;
  }

  /** The open buffer's text, or undefined. */
  bufferOf(file: string): string | undefined {
    const documents = this.engine.workspace.documents;
    return documents.isOpen(file) ? documents.read(file) : undefined;
  }
}

function engineSettingsOf(settings: SelfhealSettings) {
  return { maxFileSizeKB: settings.maxFileSizeKB, typeAware: settings.typeAware, rules: settings.rules };
}
