/**
 * The full analysis of every workspace file: at start-up, when folders, configs or settings
 * change, and on request. It reports progress, publishes every file's findings, compares the
 * contracts, samples the workspace's health and settles the ledgers, then says "idle". A newer
 * full analysis cancels the one running.
 */
import { DidChangeWatchedFilesNotification, MessageType, ShowMessageNotification, type Connection } from "vscode-languageserver/node";
import { describeError } from "../engine/analysis/engine";
import { recordFolderHealth } from "../engine/health/workspaceHealth";
import { contractWatchPatterns } from "./contractWatch";
import { LedgerStartup } from "./ledgerStartup";
import { ledgerLocationsOf } from "./ledgers";
import type { PolicyChanges } from "./policyChanges";
import type { DiagnosticsPublisher } from "./publisher";
import type { AnalysisScheduler } from "./scheduler";
import type { ServerSession } from "./serverSession";
import type { StatusNotifier } from "./statusNotifier";
import { uriToPath } from "./uris";

export interface WorkspaceAnalysisParts {
  publisher: DiagnosticsPublisher;
  scheduler: AnalysisScheduler;
  status: StatusNotifier;
  policyChanges: PolicyChanges;
}

export class WorkspaceAnalysis {
  private generation = 0;
  private running: Promise<void> | undefined;
  private durationMs: number | undefined;
  private schemaWatchers = "";
  private readonly ledgerStartup = new LedgerStartup();

  constructor(
    private readonly connection: Connection,
    private readonly session: ServerSession,
    private readonly parts: WorkspaceAnalysisParts,
  ) {}

  /** How long the last full analysis that finished took. */
  get lastDurationMs(): number | undefined {
    return this.durationMs;
  }

  /** The full analysis started last; it settles when it ends, fails or is cancelled. */
  get latest(): Promise<void> | undefined {
    return this.running;
  }

  start(reason: string): void {
    this.running = this.analyze(reason).catch((error) => {
      this.session.logger.error(`full analysis failed: ${describeError(error)}`);
      this.parts.status.send("error", 0, 0, String(error));
    });
  }

  private async analyze(reason: string): Promise<void> {
    const { engine, logger } = this.session;
    const { publisher, scheduler, status } = this.parts;
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    const token = { get isCancellationRequested() { return superseded(); } };
    const started = performance.now();
    engine.workspace.reload();
    scheduler.forgetSignatures();
    const progress = await this.connection.window.createWorkDoneProgress();
    const total = engine.workspace.analyzedFiles().length;
    progress.begin("Self-Healing Code", 0, `Analyzing ${total} files`, false);
    status.send("analyzing", 0, total);
    let lastReport = 0;
    await engine.analyzeAll({
      token,
      yieldBetweenFiles: () => new Promise((resolve) => setImmediate(resolve)),
      onProgress: (done, all) => {
        if (Date.now() - lastReport < 200 && done < all) return;
        lastReport = Date.now();
        progress.report(Math.floor((done / Math.max(all, 1)) * 100), `${done}/${all} files`);
        status.send("analyzing", done, all);
      },
    });
    progress.done();
    if (token.isCancellationRequested) return;
    publisher.publish(engine.filesWithResults());
    this.checkAllContracts();
    // Every importer was just checked against the open buffers: the first edit of one can skip them.
    scheduler.prime([...this.session.documents.keys()].flatMap((uri) => uriToPath(uri) ?? []).filter((file) => !engine.isPolicyFile(file)));
    this.durationMs = Math.round(performance.now() - started);
    logger.info(`full analysis (${reason}): ${total} files in ${this.durationMs} ms`);
    // Before "idle": a client that waits for idle has seen every message of this analysis.
    this.parts.policyChanges.announceCommandsThatWillNotRun();
    // One health sample per analysis at most (the log keeps one an hour unless the numbers change).
    for (const folder of engine.workspace.folderList()) {
      try {
        recordFolderHealth(engine, folder);
      } catch (error) {
        logger.warn(`health-log: ${describeError(error)}`);
      }
    }
    await this.settleLedgers().catch((error) => logger.error(`settling the ledgers failed: ${describeError(error)}`));
    status.send("idle");
  }

  /** Every contract against its baseline, after a full analysis (the programs are built by then). */
  private checkAllContracts(): void {
    const { engine, logger } = this.session;
    const started = performance.now();
    try {
      engine.contracts.invalidateTargets();
      const { files, compared } = engine.checkContracts();
      this.parts.publisher.publish(files);
      logger.info(`contract drift: compared ${compared.length} contract(s) in ${Math.round(performance.now() - started)} ms`);
      this.watchSchemaFiles();
    } catch (error) {
      logger.error(`comparing contracts failed: ${describeError(error)}`);
    }
  }

  /** Schema files are named by policies, anywhere: watch them once they are known (again when they change). */
  private watchSchemaFiles(): void {
    const patterns = contractWatchPatterns(this.session.engine);
    if (!this.session.capabilities.watchedFiles || patterns.length === 0 || patterns.join("\n") === this.schemaWatchers) return;
    this.schemaWatchers = patterns.join("\n");
    void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: patterns.map((globPattern) => ({ globPattern })) });
  }

  /** Leftover intents and torn ledgers, once per ledger: after an analysis, when the policies (which may move the ledger) are loaded. */
  private async settleLedgers(): Promise<void> {
    const report = await this.ledgerStartup.settle(ledgerLocationsOf(this.session.engine));
    for (const line of report.logs) this.session.logger[line.level](line.message);
    for (const message of report.warnings) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  }
}
