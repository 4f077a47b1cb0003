/**
 * What a changed policy file means for the server: reloaded policies, re-compared contracts,
 * republished severities, and notices about `verify.command`s that will not run. Whether the
 * change needs a full analysis is decided here; starting it is the caller's (it knows why).
 */
import { MessageType, ShowMessageNotification, type Connection } from "vscode-languageserver/node";
import type { DiagnosticsPublisher } from "./publisher";
import type { AnalysisScheduler } from "./scheduler";
import type { ServerSession } from "./serverSession";
import type { StatusNotifier } from "./statusNotifier";
import { VerifyCommandNotices } from "./verifyCommandNotices";

export class PolicyChanges {
  private readonly verifyCommandNotices = new VerifyCommandNotices();

  constructor(
    private readonly connection: Connection,
    private readonly session: ServerSession,
    private readonly parts: { publisher: DiagnosticsPublisher; scheduler: AnalysisScheduler; status: StatusNotifier },
  ) {}

  /**
   * Policy files saved, created or deleted. Returns true when the analysis must run again (what
   * the rules compute changed: scope, options, a rule turned on); severities and autofix apply
   * when findings and fixes are read, so otherwise republishing is enough.
   */
  filesChanged(files: readonly string[]): boolean {
    const { engine } = this.session;
    let needsReanalysis = false;
    for (const file of files) if (engine.policyFileChanged(file)) needsReanalysis = true;
    // The contracts a policy declares (and their severities) may have changed; a full analysis compares them anyway.
    engine.contracts.invalidateTargets();
    if (!needsReanalysis) this.parts.scheduler.contractsChanged(engine.contracts.targets().map((target) => target.baseline));
    // The policy files' own diagnostics first; a deleted one is published empty, which clears it.
    this.parts.publisher.publish(files);
    this.announceCommandsThatWillNotRun();
    return needsReanalysis;
  }

  /** After a policy change that needs no re-analysis: every file's severities may differ. */
  republishAll(): void {
    this.parts.publisher.publish(this.session.engine.filesWithResults());
    this.parts.status.send("idle");
  }

  /** Tells the user, once per command, that a policy's verify.command will not run in this untrusted workspace. */
  announceCommandsThatWillNotRun(): void {
    for (const message of this.verifyCommandNotices.takeNew(this.session.engine.policies)) {
      this.session.logger.warn(message);
      // A notification, not a request: there is nothing to answer, and every client shows it.
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
    }
  }
}
