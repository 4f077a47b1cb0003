/**
 * A minimal LSP client for protocol tests: it starts the built server (dist/selfheal.js) as a
 * child process over stdio and talks to it with the same protocol library editors use, so the
 * tests see exactly what an editor would see, wire format included.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ApplyWorkspaceEditRequest,
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  type ClientCapabilities,
  ConfigurationRequest,
  CreateFile,
  DeleteFile,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  type FileEvent,
  FileChangeType,
  type InitializeResult,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  type MessageType,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type Registration,
  RegistrationRequest,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  TextDocumentEdit,
  type TextEdit,
  UnregistrationRequest,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  WorkDoneProgressCreateRequest,
  type WorkDoneProgressReport,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { saveDocumentsRequest, statusNotification, type StatusParams } from "../../server/src/protocol/customMessages";

/** The repository root, from out/test/lsp (compiled) or test/lsp (source). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");
const serverScript = path.join(repoRoot, "dist", "selfheal.js");

/** What VS Code 1.100 announces, trimmed to what this server can react to. */
export const editorCapabilities: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ["create", "rename", "delete"], failureHandling: "textOnlyTransactional", normalizesLineEndings: true, changeAnnotationSupport: { groupsOnLabel: true } },
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"] } },
    },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
};

/**
 * More rules keep landing in the same server. These tests are about the protocol, so they read
 * only the findings of these three rules (each rule's own behaviour is the unit tests' job).
 */
export const rulesUnderTest: readonly string[] = ["no-explicit-any", "floating-promise", "import-cycle"];

export function underTest(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => rulesUnderTest.includes(String(diagnostic.code)));
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StartOptions {
  /** Workspace folder; the server analyzes everything below it. */
  folder: string;
  /** More workspace folders, for multi-root tests. */
  extraFolders?: string[];
  /** What `workspace/configuration` answers for the "selfheal" section; tests may change it later. */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
}

/** Everything the server sent us, in arrival order. */
export type ServerEvent =
  | { kind: "publish"; uri: string; diagnostics: Diagnostic[] }
  | { kind: "status"; status: StatusParams }
  | { kind: "progress"; token: string | number; value: ProgressValue }
  | { kind: "progressCreate"; token: string | number }
  | { kind: "configuration"; items: Array<{ section?: string; scopeUri?: string }> }
  | { kind: "registration"; registration: Registration }
  | { kind: "log"; message: string }
  | { kind: "showMessage"; type: MessageType; message: string }
  | { kind: "applyEdit"; params: ApplyWorkspaceEditParams; result: ApplyWorkspaceEditResult }
  | { kind: "saveDocuments"; uris: string[] };

/**
 * How the test client answers the server's `workspace/applyEdit`:
 * - "disk": like an editor that saves what it edits: open documents get the edit as a didChange,
 *   then every file is written (keeping its byte order mark) and saved (didSave; a watched-file
 *   event for files that were not open);
 * - "buffer": like VS Code: the edit goes to buffers only (a file that was not open is opened
 *   first), which stay dirty until the server asks to save them (`selfheal/saveDocuments`);
 * - "decline": the user cancelled the preview (`applied: false`), nothing changes.
 */
export type ApplyEditMode = "disk" | "buffer" | "decline";

type EventOf<K extends ServerEvent["kind"]> = Extract<ServerEvent, { kind: K }>;

export class LspClient {
  readonly events: ServerEvent[] = [];
  /** Latest published diagnostics per URI; absent until the server publishes for that URI. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** What `workspace/configuration` answers for the "selfheal" section. */
  settings: Record<string, unknown>;
  initializeResult: InitializeResult | undefined;
  /** undefined while the server runs; then its exit code (null if a signal ended it). */
  exitCode: number | null | undefined;
  private stderr = "";
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, TextDocument>();
  /** Files whose disk copy starts with a UTF-8 byte order mark, which buffers do not show and saving keeps. */
  private readonly withBom = new Set<string>();
  private readonly exited: Promise<number | null>;
  /** How `workspace/applyEdit` is answered; tests may switch it at any time. */
  applyEditMode: ApplyEditMode = "disk";

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    private readonly options: StartOptions,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) => {
      process.once("exit", (code) => {
        this.exitCode = code;
        this.notify();
        resolve(code);
      });
    });
    // A dead server answers nothing: fail its pending requests now rather than at the test timeout.
    process.once("close", () => connection.dispose());
    process.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      this.diagnostics.set(uri, diagnostics);
      this.record({ kind: "publish", uri, diagnostics });
    });
    connection.onNotification(statusNotification, (status) => this.record({ kind: "status", status }));
    connection.onNotification(LogMessageNotification.type, ({ message }) => this.record({ kind: "log", message }));
    connection.onNotification(ShowMessageNotification.type, ({ type, message }) => this.record({ kind: "showMessage", type, message }));
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      // Like an editor: listen on the token before answering, or the "begin" could be missed.
      connection.onProgress(WorkDoneProgress.type, token, (value) => this.record({ kind: "progress", token, value }));
      this.record({ kind: "progressCreate", token });
      return null;
    });
    connection.onRequest(ConfigurationRequest.type, ({ items }) => {
      const answer = items.map((item) => (item.section === "selfheal" ? this.settings : null));
      this.record({ kind: "configuration", items });
      return answer;
    });
    connection.onRequest(RegistrationRequest.type, ({ registrations }) => {
      for (const registration of registrations) this.record({ kind: "registration", registration });
      return null;
    });
    connection.onRequest(UnregistrationRequest.type, () => null);
    connection.onRequest(ApplyWorkspaceEditRequest.type, async (params) => {
      const result = await this.applyWorkspaceEdit(params);
      this.record({ kind: "applyEdit", params, result });
      return result;
    });
    connection.onRequest(saveDocumentsRequest, async ({ uris }) => {
      this.record({ kind: "saveDocuments", uris });
      for (const uri of uris) if (this.texts.has(uri)) await this.saveToDisk(uri);
      return { failed: [] };
    });
    connection.listen();
  }

  /** Starts the server and completes initialize/initialized. */
  static async start(options: StartOptions): Promise<LspClient> {
    const client = LspClient.spawn(options);
    try {
      await client.initialize();
      return client;
    } catch (error) {
      await client.dispose();
      throw error;
    }
  }

  /** Starts the server without initializing it, for tests of the handshake itself. */
  static spawn(options: StartOptions): LspClient {
    if (!fs.existsSync(serverScript)) throw new Error(`${serverScript} is missing: run \`npm run -s build\` first`);
    const child = spawn(process.execPath, [serverScript, "lsp", "--stdio"], { cwd: options.folder, stdio: ["pipe", "pipe", "pipe"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    // A write to a server that already exited must fail the test that caused it, not the process.
    child.stdin!.on("error", () => {});
    return new LspClient(child, connection, options);
  }

  async initialize(): Promise<InitializeResult> {
    const folderUri = pathToFileURL(this.options.folder).href;
    const request = this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: "selfheal-lsp-tests", version: "1" },
      rootUri: folderUri,
      workspaceFolders: [this.options.folder, ...(this.options.extraFolders ?? [])].map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
      capabilities: this.options.capabilities ?? editorCapabilities,
      initializationOptions: this.options.initializationOptions,
    });
    try {
      this.initializeResult = await request;
    } catch (error) {
      if (this.exitCode === undefined) throw error;
      throw new Error(`the server exited (code ${this.exitCode}) during initialize${this.stderrTail()}`);
    }
    await this.connection.sendNotification(InitializedNotification.type, {});
    return this.initializeResult;
  }

  /**
   * Resolves with the condition's first truthy value, re-checking whenever a message arrives
   * (everything the server does reaches us as a message, so there is nothing to poll in between).
   */
  waitFor<T>(condition: () => T | undefined | null | false, timeoutMs = 10_000, what: string | (() => string) = "condition"): Promise<T> {
    const describe = () => (typeof what === "string" ? what : what());
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | undefined | null | false;
        try {
          value = condition();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value) {
          finish();
          resolve(value);
        } else if (this.exitCode !== undefined) {
          finish();
          reject(new Error(`the server exited (code ${this.exitCode}) while waiting for ${describe()}${this.stderrTail()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}${this.stderrTail()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** A position in the event log: pass it to `waitForEvent` to see only what arrives after it. */
  mark(): number {
    return this.events.length;
  }

  /** The first event of `kind` at or after `from` that satisfies `match`, with its index in the log. */
  waitForEvent<K extends ServerEvent["kind"]>(
    kind: K,
    from: number,
    match: (event: EventOf<K>) => boolean = () => true,
    what: string = kind,
    timeoutMs?: number,
  ): Promise<{ event: EventOf<K>; index: number }> {
    return this.waitFor(
      () => {
        for (let index = from; index < this.events.length; index++) {
          const event = this.events[index];
          if (event.kind === kind && match(event as EventOf<K>)) return { event: event as EventOf<K>, index };
        }
        return undefined;
      },
      timeoutMs,
      what,
    );
  }

  /** The first publish for `uri` after `from` whose diagnostics (of the rules under test) satisfy `match`; returns those. */
  async waitForPublish(uri: string, from: number, match: (diagnostics: Diagnostic[]) => boolean = () => true, what = "a publish"): Promise<Diagnostic[]> {
    const { event } = await this.waitForEvent("publish", from, (event) => event.uri === uri && match(underTest(event.diagnostics)), `${what} for ${uri}`);
    return underTest(event.diagnostics);
  }

  /** Resolves with the latest diagnostics of `uri` (of the rules under test) once `match` holds for them. */
  waitForDiagnostics(uri: string, match: (diagnostics: Diagnostic[]) => boolean, what = "diagnostics", timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(
      () => {
        const diagnostics = this.diagnostics.get(uri);
        return diagnostics && match(underTest(diagnostics)) ? underTest(diagnostics) : undefined;
      },
      timeoutMs,
      () => `${what} for ${uri} (latest: ${JSON.stringify(this.diagnostics.get(uri)?.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`))})`,
    );
  }

  /** The first full analysis has finished and published. */
  async whenAnalyzed(timeoutMs = 15_000): Promise<void> {
    await this.waitForEvent("status", 0, (event) => event.status.state === "idle", "the first full analysis", timeoutMs);
  }

  /**
   * Changes the settings the way an editor does and resolves once the server has pulled them
   * and republished: the idle status it sends after the pull marks the end.
   */
  async updateSettings(settings: Record<string, unknown>): Promise<void> {
    const from = this.mark();
    await this.changeConfiguration(settings);
    const pulled = await this.waitForEvent("configuration", from, () => true, "the settings pull");
    await this.waitForEvent("status", pulled.index, (event) => event.status.state === "idle", "idle after the settings pull");
  }

  of<K extends ServerEvent["kind"]>(kind: K): Array<EventOf<K>> {
    return this.events.filter((event): event is EventOf<K> => event.kind === kind);
  }

  get statuses(): StatusParams[] {
    return this.of("status").map((event) => event.status);
  }

  /** The latest diagnostics of `uri` from the rules under test; [] if none were ever published. */
  findings(uri: string): Diagnostic[] {
    return underTest(this.diagnostics.get(uri) ?? []);
  }

  codes(uri: string): string[] {
    return this.findings(uri).map((diagnostic) => String(diagnostic.code));
  }

  /** Opens a file as an editor does: its text from disk, without a byte order mark. */
  async openFromDisk(uri: string, languageId = "typescript"): Promise<string> {
    const raw = fs.readFileSync(new URL(uri), "utf8");
    if (raw.startsWith("\uFEFF")) this.withBom.add(uri);
    const text = raw.replace(/^\uFEFF/, "");
    await this.open(uri, text, languageId);
    return text;
  }

  async open(uri: string, text: string, languageId = "typescript"): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes and keeps our copy of the text, as an editor does. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const document = this.texts.get(uri);
    if (document) this.texts.set(uri, TextDocument.update(document, changes, version));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Replaces the whole buffer through one ranged change (what an editor sends for "select all, type"). */
  async replaceText(uri: string, text: string): Promise<void> {
    const document = this.texts.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    const end = document.positionAt(document.getText().length);
    await this.change(uri, [{ range: { start: { line: 0, character: 0 }, end }, text }]);
  }

  text(uri: string): string | undefined {
    return this.texts.get(uri)?.getText();
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    // With `workspace/configuration` the payload is ignored and the server pulls; send what VS Code sends.
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { selfheal: settings } });
  }

  /** What an editor sends after writing the buffer to disk (the test writes the file itself). */
  async saved(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** Writes the buffer to disk as an editor saves it (the byte order mark kept) and sends didSave. */
  async saveToDisk(uri: string): Promise<void> {
    const text = this.texts.get(uri)?.getText();
    if (text === undefined) throw new Error(`${uri} is not open`);
    fs.writeFileSync(new URL(uri), (this.withBom.has(uri) ? "\uFEFF" : "") + text);
    await this.saved(uri);
  }

  /** What the test client does with a `workspace/applyEdit` (see `ApplyEditMode`). All or nothing, like VS Code. */
  private async applyWorkspaceEdit({ edit }: ApplyWorkspaceEditParams): Promise<ApplyWorkspaceEditResult> {
    if (this.applyEditMode === "decline") return { applied: false, failureReason: "the user cancelled the preview" };
    const operations: Array<CreateFile | DeleteFile | { uri: string; version: number | null; edits: TextEdit[] }> = [];
    for (const change of edit.documentChanges ?? []) {
      if (TextDocumentEdit.is(change)) operations.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits: change.edits });
      else if (CreateFile.is(change) || DeleteFile.is(change)) operations.push(change);
      else return { applied: false, failureReason: `the test client does not rename files (${JSON.stringify(change)})` };
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) operations.push({ uri, version: null, edits });
    for (const operation of operations) {
      if ("version" in operation && operation.version !== null && this.texts.has(operation.uri) && this.versions.get(operation.uri) !== operation.version) {
        return { applied: false, failureReason: `${operation.uri} is at version ${this.versions.get(operation.uri)}, the edit is for version ${operation.version}` };
      }
    }
    const touchedOnDisk: FileEvent[] = [];
    for (const operation of operations) {
      if (CreateFile.is(operation)) {
        fs.writeFileSync(new URL(operation.uri), "");
        touchedOnDisk.push({ uri: operation.uri, type: FileChangeType.Created });
      } else if (DeleteFile.is(operation)) {
        fs.rmSync(new URL(operation.uri), { force: true });
        touchedOnDisk.push({ uri: operation.uri, type: FileChangeType.Deleted });
      } else {
        const { uri, edits } = operation;
        if (!this.texts.has(uri) && this.applyEditMode === "buffer") await this.openFromDisk(uri);
        if (this.texts.has(uri)) {
          // Last edit first, so each range still means what it meant in the text the edit was made for.
          const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
          await this.change(uri, ordered.map((textEdit) => ({ range: textEdit.range, text: textEdit.newText })));
          if (this.applyEditMode === "disk") await this.saveToDisk(uri);
        } else {
          const raw = fs.readFileSync(new URL(uri), "utf8");
          const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
          const text = TextDocument.applyEdits(TextDocument.create(uri, "typescript", 0, raw.slice(bom.length)), edits);
          fs.writeFileSync(new URL(uri), bom + text);
          touchedOnDisk.push({ uri, type: FileChangeType.Changed });
        }
      }
    }
    if (touchedOnDisk.length > 0) await this.watchedFilesChanged(touchedOnDisk);
    return { applied: true };
  }

  /** shutdown, exit, and the process's exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    return this.exited;
  }

  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** Always safe to call, whatever state the server is in. */
  async dispose(): Promise<void> {
    this.connection.dispose();
    if (this.exitCode === undefined) {
      this.process.kill("SIGKILL");
      await this.exited;
    }
  }

  private record(event: ServerEvent): void {
    this.events.push(event);
    this.notify();
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }

  private stderrTail(): string {
    const tail = this.stderr.trim().split("\n").slice(-20).join("\n");
    const logs = this.of("log").slice(-10).map((event) => event.message).join("\n");
    return `${tail ? `\n--- server stderr ---\n${tail}` : ""}${logs ? `\n--- last server log lines ---\n${logs}` : ""}`;
  }
}

/** A throwaway workspace folder with the given files (paths relative to it); removed by `removeWorkspace`. */
export function createWorkspace(files: Record<string, string>): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-lsp-")));
  for (const [name, text] of Object.entries(files)) writeFile(folder, name, text);
  return folder;
}

export function writeFile(folder: string, name: string, text: string): string {
  const file = path.join(folder, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function removeWorkspace(folder: string | undefined): void {
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}

/** The tsconfig most fixtures share: strict, bundler resolution, everything under src/. */
export const tsconfig = JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true }, include: ["src"] });

export function uriOf(folder: string, name: string): string {
  return pathToFileURL(path.join(folder, name)).href;
}

/**
 * A fresh workspace and a server on it for each test, both disposed after it. `expose` hands the
 * test its folder and client (the client is undefined once disposed).
 */
export function serverPerTest(makeFolder: () => string, expose: (started: { folder: string; client: LspClient | undefined }) => void, options: Omit<StartOptions, "folder"> = {}): void {
  let current: { folder: string; client: LspClient | undefined } | undefined;
  beforeEach(async () => {
    current = { folder: makeFolder(), client: undefined };
    expose(current);
    current.client = await LspClient.start({ ...options, folder: current.folder });
    expose(current);
    await current.client.whenAnalyzed();
  });
  afterEach(async () => {
    if (!current) return;
    await current.client?.dispose();
    removeWorkspace(current.folder);
    expose({ folder: current.folder, client: undefined });
    current = undefined;
  });
}
