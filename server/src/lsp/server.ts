/**
 * The language server: wiring only. It connects LSP messages to the engine (analysis), the
 * scheduler (when to analyze) and the publisher (what the editor sees). Start it with
 * `selfheal lsp --stdio` (any editor) or `--node-ipc` (the VS Code extension).
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Hover,
  type InitializeResult,
  MarkupKind,
  MessageType,
  ProposedFeatures,
  ResourceOperationKind,
  ShowMessageNotification,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import { describeError, Engine, type Logger } from "../engine/analysis/engine";
import { summarizeHealth } from "../engine/health";
import { recordFolderHealth } from "../engine/health/workspaceHealth";
import { policyHover } from "../engine/policy/hover";
import { isPolicyFile } from "../engine/policy/policySet";
import {
  applyFixAllCommand,
  applyFixCommand,
  type ChangeOutcome,
  type ClientFeatures,
  type InitializationOptions,
  ledgerEntriesRequest,
  previewContentRequest,
  previewPlanRequest,
  reanalyzeRequest,
  rollbackEntryCommand,
  saveDocumentsRequest,
  serverStatusRequest,
  statusNotification,
  type StatusParams,
  workspaceTrustedNotification,
} from "../protocol/customMessages";
import { defaultSettings, sanitizeSettings, settingsSection, type SelfhealSettings } from "../protocol/settings";
import { codeActionKinds, codeActionsFor } from "./codeActions";
import { contractsToRecheck, contractWatchPatterns, isContractFile } from "./contractWatch";
import { ArgumentError, entryReferenceOf, fixAllReferenceOf, fixReferenceOf, previewContentParamsOf, previewTargetOf } from "./commandArguments";
import { EditorWriter } from "./editorWriter";
import { editorRequestError } from "./editorRequestError";
import { LedgerStartup } from "./ledgerStartup";
import { ledgerLocationsOf, listEntries } from "./ledgers";
import { editorActor, PipelineCommands, severityOf } from "./pipelineCommands";
import { Previews } from "./previews";
import { policyListOf, policyStatusOf } from "./policyStatus";
import { ProvenanceLines, provenanceHover } from "./provenanceHover";
import { provenanceCodeLenses } from "./provenanceLens";
import { DiagnosticsPublisher } from "./publisher";
import { AnalysisScheduler } from "./scheduler";
import { pathToUri, uriToPath } from "./uris";
import { VerifyCommandNotices } from "./verifyCommandNotices";

export function startServer(version: string): void {
  const connection = createConnection(ProposedFeatures.all);
  const logger: Logger = {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    error: (message) => connection.console.error(message),
  };
  // Bad input must never kill the server: log, keep serving.
  process.on("uncaughtException", (error) => logger.error(`uncaught: ${describeError(error)}`));
  process.on("unhandledRejection", (error) => logger.error(`unhandled rejection: ${describeError(error)}`));

  let settings: SelfhealSettings = defaultSettings;
  const engine = new Engine(engineSettings(settings), logger);
  const documents = new Map<string, TextDocument>();
  let capabilities = {
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
  };
  let clientFeatures: ClientFeatures = {};
  let clientName: string | undefined;
  const verifyCommandNotices = new VerifyCommandNotices();
  let lastFullAnalysisMs: number | undefined;
  let fullAnalysis: Promise<void> | undefined;
  let fullAnalysisGeneration = 0;

  const publisher = new DiagnosticsPublisher(connection, engine, () => capabilities.relatedInformation);
  const scheduler = new AnalysisScheduler(
    engine,
    (files) => publisher.publish(files),
    (file) => documents.has(pathToUri(file)) || engine.workspace.documents.isOpen(file),
    () => settings.debounceMs,
    logger,
    () => sendStatus("idle"),
  );

  // The agent pipeline in the editor: code actions run these commands (docs/architecture.md).
  const versionOf = (uri: string): number | null => {
    const file = uriToPath(uri);
    return file !== undefined && engine.workspace.documents.isOpen(file) ? (engine.workspace.documents.openVersion(file) ?? null) : null;
  };
  const bufferOf = (file: string): string | undefined => (engine.workspace.documents.isOpen(file) ? engine.workspace.documents.read(file) : undefined);
  const saveDocuments = (uris: string[]) => connection.sendRequest(saveDocumentsRequest, { uris });
  const writer = new EditorWriter({
    applyEdit: (edit, label) => connection.workspace.applyEdit({ label, edit }),
    get saveDocuments() {
      return clientFeatures.saveDocuments === true ? saveDocuments : undefined;
    },
    bufferOf,
    inform: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }),
  });
  const pipelineCommands = new PipelineCommands({
    engine,
    writer,
    logger,
    versionOf,
    bufferOf,
    capabilities: () => capabilities,
    get saveDocuments() {
      return clientFeatures.saveDocuments === true ? saveDocuments : undefined;
    },
    confirm: async (question) => (await connection.window.showWarningMessage(question, { title: "Apply" }, { title: "Cancel" }))?.title === "Apply",
    get actor() {
      return editorActor(clientName, version);
    },
    filesWritten: (files) => {
      // The editor wrote them: disk copies read before are out of date (open buffers already follow).
      const closed = files.filter((file) => !engine.workspace.documents.isOpen(file));
      for (const file of closed) engine.workspace.fileChanged(file);
      if (closed.length > 0) scheduler.changed(closed.filter((file) => engine.workspace.projectOf(file)));
    },
  });
  const previews = new Previews(engine, versionOf, () => ledgerLocationsOf(engine));
  const ledgerStartup = new LedgerStartup();
  /** Which recorded change wrote which line: for the hover and CodeLens ("why is this line like this?"). */
  const provenanceLines = new ProvenanceLines(() => ledgerLocationsOf(engine));
  let codeLensRefresh = false;

  function tellUser(outcome: ChangeOutcome): ChangeOutcome {
    const type = { info: MessageType.Info, warning: MessageType.Warning, error: MessageType.Error }[severityOf(outcome)];
    void connection.sendNotification(ShowMessageNotification.type, { type, message: `${outcome.id}: ${outcome.message}` });
    return outcome;
  }

  /** Leftover intents and torn ledgers, once per ledger: after an analysis, when the policies (which may move the ledger) are loaded. */
  async function settleLedgers(): Promise<void> {
    const report = await ledgerStartup.settle(ledgerLocationsOf(engine));
    for (const line of report.logs) logger[line.level](line.message);
    for (const message of report.warnings) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }

  let lastStatusLines = { at: 0, lines: 0 };
  function sendStatus(state: StatusParams["state"], done = 0, total = 0, message?: string): void {
    // Counting lines reads every file's text: fine once every two seconds, not per keystroke.
    if (Date.now() - lastStatusLines.at > 2000) lastStatusLines = { at: Date.now(), lines: engine.linesAnalyzed() };
    const { errors, warnings, debtIndex } = summarizeHealth(engine.allFindings(), lastStatusLines.lines);
    void connection.sendNotification(statusNotification, { state, done, total, errors, warnings, debtIndex, message, policy: policyStatusOf(engine.policies) });
  }

  /** Tells the user, once per command, that a policy's verify.command will not run in this untrusted workspace. */
  function announceCommandsThatWillNotRun(): void {
    for (const message of verifyCommandNotices.takeNew(engine.policies)) {
      logger.warn(message);
      // A notification, not a request: there is nothing to answer, and every client shows it.
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
    }
  }

  /**
   * Policy files saved, created or deleted. Returns true when the analysis must run again (what
   * the rules compute changed: scope, options, a rule turned on); severities and autofix apply
   * when findings and fixes are read, so otherwise republishing is enough.
   */
  function policyFilesChanged(files: readonly string[]): boolean {
    let needsReanalysis = false;
    for (const file of files) if (engine.policyFileChanged(file)) needsReanalysis = true;
    // The contracts a policy declares (and their severities) may have changed; a full analysis compares them anyway.
    engine.contracts.invalidateTargets();
    if (!needsReanalysis) scheduler.contractsChanged(engine.contracts.targets().map((target) => target.baseline));
    // The policy files' own diagnostics first; a deleted one is published empty, which clears it.
    publisher.publish(files);
    announceCommandsThatWillNotRun();
    return needsReanalysis;
  }

  /** After a policy change that needs no re-analysis: every file's severities may differ. */
  function republishAll(): void {
    publisher.publish(engine.filesWithResults());
    sendStatus("idle");
  }

  async function analyzeWorkspace(reason: string): Promise<void> {
    const generation = ++fullAnalysisGeneration;
    const token = { get isCancellationRequested() { return generation !== fullAnalysisGeneration; } };
    const started = performance.now();
    engine.workspace.reload();
    scheduler.forgetSignatures();
    const progress = await connection.window.createWorkDoneProgress();
    const total = engine.workspace.analyzedFiles().length;
    progress.begin("Self-Healing Code", 0, `Analyzing ${total} files`, false);
    sendStatus("analyzing", 0, total);
    let lastReport = 0;
    await engine.analyzeAll({
      token,
      yieldBetweenFiles: () => new Promise((resolve) => setImmediate(resolve)),
      onProgress: (done, all) => {
        if (Date.now() - lastReport < 200 && done < all) return;
        lastReport = Date.now();
        progress.report(Math.floor((done / Math.max(all, 1)) * 100), `${done}/${all} files`);
        sendStatus("analyzing", done, all);
      },
    });
    progress.done();
    if (token.isCancellationRequested) return;
    publisher.publish(engine.filesWithResults());
    checkAllContracts();
    // Every importer was just checked against the open buffers: the first edit of one can skip them.
    scheduler.prime([...documents.keys()].flatMap((uri) => uriToPath(uri) ?? []).filter((file) => !engine.isPolicyFile(file)));
    lastFullAnalysisMs = Math.round(performance.now() - started);
    logger.info(`full analysis (${reason}): ${total} files in ${lastFullAnalysisMs} ms`);
    // Before "idle": a client that waits for idle has seen every message of this analysis.
    announceCommandsThatWillNotRun();
    // One health sample per analysis at most (the log keeps one an hour unless the numbers change).
    for (const folder of engine.workspace.folderList()) {
      try {
        recordFolderHealth(engine, folder);
      } catch (error) {
        logger.warn(`health-log: ${describeError(error)}`);
      }
    }
    await settleLedgers().catch((error) => logger.error(`settling the ledgers failed: ${describeError(error)}`));
    sendStatus("idle");
  }

  /** Every contract against its baseline, after a full analysis (the programs are built by then). */
  function checkAllContracts(): void {
    const started = performance.now();
    try {
      engine.contracts.invalidateTargets();
      const { files, compared } = engine.checkContracts();
      publisher.publish(files);
      logger.info(`contract drift: compared ${compared.length} contract(s) in ${Math.round(performance.now() - started)} ms`);
      watchSchemaFiles();
    } catch (error) {
      logger.error(`comparing contracts failed: ${describeError(error)}`);
    }
  }

  let schemaWatchers = "";
  /** Schema files are named by policies, anywhere: watch them once they are known (again when they change). */
  function watchSchemaFiles(): void {
    const patterns = contractWatchPatterns(engine);
    if (!capabilities.watchedFiles || patterns.length === 0 || patterns.join("\n") === schemaWatchers) return;
    schemaWatchers = patterns.join("\n");
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: patterns.map((globPattern) => ({ globPattern })) });
  }

  function startFullAnalysis(reason: string): void {
    fullAnalysis = analyzeWorkspace(reason).catch((error) => {
      logger.error(`full analysis failed: ${describeError(error)}`);
      sendStatus("error", 0, 0, String(error));
    });
  }

  connection.onInitialize((params): InitializeResult => {
    const client = params.capabilities;
    codeLensRefresh = client.workspace?.codeLens?.refreshSupport === true;
    capabilities = {
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
    };
    clientName = params.clientInfo?.name;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    clientFeatures = typeof options.clientFeatures === "object" && options.clientFeatures !== null ? options.clientFeatures : {};
    if (options.settings) applySettings(sanitizeSettings(options.settings));
    // Fails closed: an editor that says nothing about trust gets no workspace commands run.
    engine.policies.trusted = options.workspaceTrusted === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    for (const uri of folders) {
      const folder = uriToPath(uri);
      if (folder) engine.workspace.folderList().includes(folder) || addFolderQuietly(folder);
    }
    return {
      capabilities: {
        // Without file watching, saving a policy is the only way we learn that it changed on disk.
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, ...(capabilities.watchedFiles ? {} : { save: { includeText: false } }) },
        codeActionProvider: { codeActionKinds },
        executeCommandProvider: { commands: [applyFixCommand, applyFixAllCommand, rollbackEntryCommand] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: "selfheal", version },
    };
  });

  /** Folders are recorded now and discovered by the first full analysis. */
  function addFolderQuietly(folder: string): void {
    engine.workspace.addFolderWithoutReload(folder);
  }

  connection.onInitialized(async () => {
    if (capabilities.configurationChangeRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: settingsSection });
    }
    if (capabilities.configuration) await pullSettings();
    if (capabilities.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}" }, { globPattern: "**/{tsconfig,jsconfig}*.json" }, { globPattern: "**/.selfheal/policy.yaml" }, { globPattern: "**/.selfheal" }, { globPattern: "**/.selfheal/contracts/*.json" }, { globPattern: "**/package.json" }],
      });
    } else {
      logger.warn("the client cannot watch files for us: changes made outside the editor are seen after 'Re-analyze Workspace' (a policy saved in the editor is reloaded on save)");
    }
    if (capabilities.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          const folder = uriToPath(removed.uri);
          if (folder) engine.workspace.removeFolderWithoutReload(folder);
        }
        for (const added of event.added) {
          const folder = uriToPath(added.uri);
          if (folder) engine.workspace.addFolderWithoutReload(folder);
        }
        publisher.clearAll();
        startFullAnalysis("workspace folders changed");
      });
    }
    startFullAnalysis("start-up");
  });

  async function pullSettings(): Promise<boolean> {
    try {
      return applySettings(sanitizeSettings(await connection.workspace.getConfiguration(settingsSection)));
    } catch (error) {
      logger.warn(`could not read settings, keeping the previous ones: ${describeError(error)}`);
      return false;
    }
  }

  /** Returns true when the new settings change what the analysis computes, not only how findings read. */
  function applySettings(next: SelfhealSettings): boolean {
    settings = next;
    return engine.updateSettings(engineSettings(settings));
  }

  connection.onDidChangeConfiguration(async (change) => {
    let needsReanalysis = false;
    if (capabilities.configuration) needsReanalysis = await pullSettings();
    else needsReanalysis = applySettings(sanitizeSettings((change.settings as Record<string, unknown> | undefined)?.[settingsSection]));
    // Severities apply when findings are read; type-awareness, the size limit and rule options
    // (thresholds) decide what the analysis computes.
    if (needsReanalysis) {
      startFullAnalysis("settings changed");
      return;
    }
    publisher.publish(engine.filesWithResults());
    sendStatus("idle");
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    documents.set(textDocument.uri, document);
    const file = uriToPath(textDocument.uri);
    if (!file) return;
    if (engine.isPolicyFile(file)) {
      // A policy buffer is validated as typed; it governs the analysis only once saved.
      engine.updateDocument(file, document.getText(), document.version);
      publisher.publish([file]);
      return;
    }
    const before = engine.workspace.documents.read(file);
    engine.updateDocument(file, document.getText(), document.version);
    // Opening a file whose buffer equals the disk copy changes nothing: keep its findings.
    if (before !== document.getText() || !engine.hasCurrentTypeAwareFindings(file)) scheduler.changed([file]);
    else publisher.publish([file]);
    // Its importers were checked against this text: know its declarations before the first edit.
    if (before === document.getText()) scheduler.prime([file]);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const document = documents.get(textDocument.uri);
    const file = uriToPath(textDocument.uri);
    if (!document || !file) return;
    if (engine.isPolicyFile(file)) {
      const updated = TextDocument.update(document, contentChanges, textDocument.version);
      documents.set(textDocument.uri, updated);
      engine.updateDocument(file, updated.getText(), updated.version);
      publisher.publish([file]);
      return;
    }
    const ranged = contentChanges.flatMap((change) => ("range" in change ? [{ range: change.range, text: change.text }] : []));
    writer.documentsChanged();
    if (ranged.length === contentChanges.length) publisher.documentChanged(file, ranged);
    const updated = TextDocument.update(document, contentChanges, textDocument.version);
    documents.set(textDocument.uri, updated);
    engine.updateDocument(file, updated.getText(), updated.version);
    scheduler.changed([file]);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.delete(textDocument.uri);
    const file = uriToPath(textDocument.uri);
    if (!file) return;
    if (engine.isPolicyFile(file)) {
      // Back to the problems of the saved file, which is what governs.
      engine.closeDocument(file);
      publisher.publish([file]);
      return;
    }
    const buffer = engine.workspace.documents.read(file);
    engine.closeDocument(file);
    writer.documentsChanged();
    // Closing without saving reverts to the disk copy: its findings differ.
    if (engine.workspace.documents.read(file) !== buffer) scheduler.changed([file]);
  });

  connection.onDidSaveTextDocument(({ textDocument }) => {
    // Only registered without file watching: with it, the watcher reports the save.
    writer.documentsChanged();
    const file = uriToPath(textDocument.uri);
    if (file && isContractFile(engine, file)) scheduler.contractsChanged(contractsToRecheck(engine, [file]));
    if (!file || !engine.isPolicyFile(file)) return;
    if (policyFilesChanged([file])) startFullAnalysis(`${file} saved`);
    else republishAll();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (changes.some((change) => /\/\.selfheal(\/|$)/.test(uriToPath(change.uri) ?? ""))) {
      provenanceLines.invalidate();
      if (codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }
    // A change waiting to be saved may have reached the disk (open files are skipped below, not here).
    writer.documentsChanged();
    // Policies first, open or not: what governs is the saved file, the buffer only gets diagnostics.
    const policyFiles = [...new Set(changes.flatMap((change) => policyFileOf(uriToPath(change.uri))))];
    const policyNeedsReanalysis = policyFiles.length > 0 && policyFilesChanged(policyFiles);
    const changedFiles: string[] = [];
    const created: string[] = [];
    // Baselines, schemas and package.json are read from disk by the comparison: open or not, the saved copy counts.
    const contractFiles = changes.flatMap((change) => uriToPath(change.uri) ?? []).filter((file) => isContractFile(engine, file));
    if (contractFiles.length > 0 && !policyNeedsReanalysis) scheduler.contractsChanged(contractsToRecheck(engine, contractFiles));
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file || policyFileOf(file).length > 0 || contractFiles.includes(file)) continue;
      if (engine.workspace.documents.isOpen(file)) continue; // The buffer is the truth for open files.
      if (/\/(tsconfig|jsconfig)[^/]*\.json$/.test(file)) {
        // Rediscovery re-reads configs, not cached file texts: the rest of this batch (a branch switch) changed too.
        for (const other of changes) {
          const otherFile = uriToPath(other.uri);
          if (otherFile) engine.workspace.documents.invalidate(otherFile);
        }
        publisher.clearAll();
        startFullAnalysis(`${file} changed`);
        return;
      }
      if (change.type === FileChangeType.Deleted) {
        const dependents = engine.dependentsOf(file);
        engine.workspace.fileDeleted(file);
        engine.forget(file);
        scheduler.forget(file);
        publisher.clear(file);
        changedFiles.push(...dependents);
      } else if (change.type === FileChangeType.Created) {
        created.push(file);
      } else {
        engine.workspace.fileChanged(file);
        if (engine.workspace.projectOf(file)) changedFiles.push(file);
      }
    }
    if (created.length > 0) {
      engine.workspace.filesCreated(created);
      for (const file of created) if (engine.workspace.projectOf(file)) changedFiles.push(file);
      // A new file can complete an import that resolved to nothing before.
      changedFiles.push(...engine.filesWithUnresolvedImports());
    }
    if (policyNeedsReanalysis) {
      startFullAnalysis(`${policyFiles.join(", ")} changed`);
      return;
    }
    if (changedFiles.length > 0) scheduler.changed([...new Set(changedFiles)]);
    if (policyFiles.length > 0) republishAll();
  });

  connection.onCodeAction((params) =>
    codeActionsFor(engine, params, { disabledSupport: capabilities.codeActionDisabled, version: versionOf(params.textDocument.uri), previews: clientFeatures.previewCommands === true }),
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

  connection.onCodeLens(async ({ textDocument }) => {
    const file = uriToPath(textDocument.uri);
    const document = documents.get(textDocument.uri);
    return file && document && !engine.isPolicyFile(file) ? provenanceCodeLenses(provenanceLines, file, document.getText()) : [];
  });

  connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
    const file = uriToPath(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!file || !document) return null;
    if (!engine.isPolicyFile(file)) return provenanceHover(provenanceLines, file, document.getText(), position.line);
    const hover = policyHover(document.getText(), document.offsetAt(position));
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
  });

  connection.onNotification(workspaceTrustedNotification, () => {
    engine.policies.trusted = true;
    logger.info("the workspace is trusted now: a policy's verify.command may run");
  });

  connection.onRequest(serverStatusRequest, () => ({
    version,
    folders: engine.workspace.folderList(),
    projects: [...engine.workspace.filesByProject()].map(([project, files]) => ({ name: project.name, files: files.length })),
    filesAnalyzed: engine.workspace.analyzedFiles().length,
    lastFullAnalysisMs,
    policies: policyListOf(engine.policies),
    workspaceTrusted: engine.policies.trusted,
  }));

  connection.onRequest(reanalyzeRequest, async () => {
    publisher.clearAll();
    startFullAnalysis("requested");
    await fullAnalysis;
  });

  connection.listen();
}

/**
 * The policy file a watcher event is about. A `.selfheal` folder counts too: watchers report a
 * deleted folder, not the files it held, and can miss a file written right after its folder was
 * created (a `git pull` that adds the policy), so the folder's event stands for its policy.yaml.
 */
function policyFileOf(file: string | undefined): string[] {
  if (!file) return [];
  if (file.endsWith("/.selfheal")) return [`${file}/policy.yaml`];
  return isPolicyFile(file) ? [file] : [];
}

function engineSettings(settings: SelfhealSettings) {
  return { maxFileSizeKB: settings.maxFileSizeKB, typeAware: settings.typeAware, rules: settings.rules };
}
