import type { Engine, Logger } from "../engine/analysis/engine";

/** How long the contract pass waits for the next keystroke: short, since the drift is shown within 200 ms of an edit. */
export const contractDebounceMs = 50;

/**
 * When to analyze what after a change. A keystroke gets the syntactic pass at once (parse
 * only, milliseconds) and the type-aware pass after a debounce. After the edited files, the
 * files that import them are re-checked in the background, open ones first, one file per
 * turn of the event loop so requests are answered in between. A newer edit cancels the
 * remaining background work and reschedules it behind its own.
 *
 * Most edits (inside a function body) leave what a file exports unchanged, and re-checking its
 * importers then finds nothing new, at the cost of seconds on real code. So, like `tsc --build`,
 * the importers are re-checked only when the edited file's declarations (its .d.ts) changed.
 *
 * Contract drift is what a person editing an exported declaration is looking at, and comparing
 * the contracts an edit reaches costs tens of milliseconds (contractCache.ts: only what the edit
 * reached is extracted again), so it runs on its own short debounce, ahead of the type-aware
 * rules: the drift shows within 200 ms of the keystroke (docs/contracts.md, "In the editor").
 */
export class AnalysisScheduler {
  private generation = 0;
  private readonly syntaxPending = new Set<string>();
  private syntaxScheduled = false;
  private readonly typePending = new Set<string>();
  private readonly dependentsPending = new Set<string>();
  /** Contracts (by baseline file) whose drift an edit may have changed. */
  private readonly contractsPending = new Set<string>();
  /** Edited files whose contracts the contract pass compares next. */
  private readonly contractEdits = new Set<string>();
  private contractTimer: NodeJS.Timeout | undefined;
  /** A pass checked something while another was still to come: the idle notice waits for the last one. */
  private checkedSinceIdle = false;
  /** Each file's declaration signature as its importers last saw it (or will see it, once the pending re-checks ran). */
  private readonly signatures = new Map<string, string>();
  /** Files whose current text the importers already saw, waiting for their signature to be recorded. */
  private readonly primePending = new Set<string>();
  private typeTimer: NodeJS.Timeout | undefined;
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly engine: Engine,
    private readonly publish: (files: string[]) => void,
    private readonly isOpen: (file: string) => boolean,
    private readonly debounceMs: () => number,
    private readonly logger: Logger,
    private readonly onIdle: () => void,
  ) {}

  /** Files whose content changed (a buffer edit, or a file changed on disk). */
  changed(files: string[]): void {
    this.generation++;
    for (const file of files) {
      this.syntaxPending.add(file);
      this.typePending.add(file);
      this.primePending.delete(file); // The text the importers saw is gone; the type-aware pass compares against it.
    }
    if (!this.syntaxScheduled) {
      this.syntaxScheduled = true;
      setImmediate(() => this.runSyntaxPass());
    }
    if (this.typeTimer) clearTimeout(this.typeTimer);
    this.typeTimer = setTimeout(() => {
      this.typeTimer = undefined;
      void this.runTypePass();
    }, this.debounceMs());
    for (const file of files) this.contractEdits.add(file);
    if (this.contractTimer) clearTimeout(this.contractTimer);
    this.contractTimer = setTimeout(() => {
      this.contractTimer = undefined;
      this.runContractPass();
    }, Math.min(contractDebounceMs, this.debounceMs()));
  }

  /**
   * Files whose current text is what their importers were checked against (a file opened as it
   * is on disk, after a full analysis): their signatures are recorded in the background, so that
   * the first edit of such a file can already tell whether its declarations changed. A file with
   * an edit still to be checked is left to that check, which compares against the older text.
   */
  prime(files: string[]): void {
    for (const file of files) if (!this.typePending.has(file)) this.primePending.add(file);
    if (this.primePending.size > 0 && !this.running && !this.typeTimer) {
      setImmediate(() => {
        if (!this.typeTimer) void this.runTypePass(); // A newer edit's timer runs the pass after its debounce instead.
      });
    }
  }

  /** A deleted file: if it comes back, its importers must be re-checked whatever it declares. */
  forget(file: string): void {
    this.signatures.delete(file);
    this.primePending.delete(file);
  }

  /** After a full analysis (compiler options may have changed), old signatures are not comparable with new ones. */
  forgetSignatures(): void {
    this.signatures.clear();
  }

  /** True when no pass is queued or running: tests and the status item use it. */
  get idle(): boolean {
    return (
      !this.running &&
      !this.typeTimer &&
      !this.contractTimer &&
      !this.syntaxScheduled &&
      this.contractEdits.size === 0 &&
      this.typePending.size === 0 &&
      this.dependentsPending.size === 0 &&
      this.contractsPending.size === 0 &&
      this.primePending.size === 0
    );
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Records the edited file's declaration signature; true unless it is known to equal the one
   * its importers saw. Unknown (first edit since start, a script, emit failed) counts as changed.
   */
  private declarationsChanged(file: string, dependents: number): boolean {
    const before = this.signatures.get(file);
    // No importers, nothing to skip: spare the emit (and drop the old signature, which a later importer never saw).
    const after = dependents > 0 ? this.engine.declarationSignature(file) : undefined;
    this.record(file, after);
    if (after === undefined || before !== after) return true;
    this.logger.info(`declarations of ${file} unchanged: skipped re-checking ${dependents} dependent file(s)`);
    return false;
  }

  /**
   * The contracts the edited files reach, compared against the current programs (an edit that
   * changed nothing a contract describes costs the incremental extraction of what it reached,
   * and leaves the findings as they were).
   */
  private runContractPass(): void {
    const files = [...this.contractEdits];
    this.contractEdits.clear();
    try {
      for (const file of files) for (const target of this.engine.contracts.affectedBy(file)) this.contractsPending.add(target.baseline);
    } catch (error) {
      this.logger.error(`finding the contracts an edit reaches failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    const checked = this.contractsPending.size > 0;
    if (checked) this.checkPendingContracts();
    this.settle(checked);
  }

  /** When nothing is queued or running any more: the idle notice (if a pass checked something since the last one) and the waiters. */
  private settle(checkedAny: boolean): void {
    this.checkedSinceIdle ||= checkedAny;
    if (!this.idle) return;
    if (this.checkedSinceIdle) this.onIdle();
    this.checkedSinceIdle = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Contracts to compare again outside an edit (a baseline, schema or package.json saved): they
   * run in the next type-aware pass, after the edits already queued, so they see the same programs.
   */
  contractsChanged(baselines: Iterable<string>): void {
    for (const baseline of baselines) this.contractsPending.add(baseline);
    if (this.contractsPending.size > 0 && !this.running && !this.typeTimer) setImmediate(() => void this.runTypePass());
  }

  private checkPendingContracts(): void {
    const pending = new Set(this.contractsPending);
    this.contractsPending.clear();
    const started = performance.now();
    try {
      const { files, compared, timings } = this.engine.checkContracts((target) => pending.has(target.baseline));
      this.publish(files);
      this.logger.info(`contract drift: compared ${compared.join(", ") || "nothing"} in ${(performance.now() - started).toFixed(1)} ms`);
      for (const timing of timings) this.logger.info(`contract drift timing: ${timing}`);
    } catch (error) {
      this.logger.error(`comparing contracts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private record(file: string, signature: string | undefined): void {
    if (signature === undefined) this.signatures.delete(file);
    else this.signatures.set(file, signature);
  }

  private runSyntaxPass(): void {
    this.syntaxScheduled = false;
    const files = [...this.syntaxPending];
    this.syntaxPending.clear();
    const started = performance.now();
    for (const file of files) this.engine.analyzeSyntax(file);
    this.publish(files);
    this.logger.info(`syntactic pass: ${files.length} file(s) in ${(performance.now() - started).toFixed(1)} ms`);
  }

  private async runTypePass(): Promise<void> {
    if (this.running) return; // The running pass picks the new files up when it notices the newer generation.
    this.running = true;
    // Recording signatures alone changes nothing the editor shows: no "idle" status for it (waiters still resolve).
    let checkedAny = false;
    try {
      while (this.typePending.size > 0 || this.dependentsPending.size > 0 || this.primePending.size > 0 || this.contractsPending.size > 0) {
        const generation = this.generation;
        const edited = [...this.typePending];
        this.typePending.clear();
        const started = performance.now();
        if (edited.length > 0) checkedAny = true;
        for (const file of edited) {
          this.engine.analyzeTypes(file);
          this.publish([file]);
          // The emit can take a few hundred ms on a big file: answer requests first. (A newer
          // edit meanwhile is fine: the signature is always of the current text, compared with
          // the one recorded last, and the newer edit's pass compares again.)
          await new Promise<void>((resolve) => setImmediate(resolve));
          // Importers already queued by an earlier edit stay queued: only new work is skipped.
          // (The contracts the edit reaches are the contract pass's, which ran or is about to.)
          const dependents = this.engine.dependentsOf(file);
          if (this.declarationsChanged(file, dependents.length)) for (const dependent of dependents) this.dependentsPending.add(dependent);
        }
        if (edited.length > 0) this.logger.info(`type-aware pass: ${edited.length} edited file(s) in ${(performance.now() - started).toFixed(1)} ms`);
        // Contracts queued by a saved baseline or schema; before the importers, which take longer.
        if (this.contractsPending.size > 0) {
          checkedAny = true;
          this.checkPendingContracts();
        }
        for (const file of edited) this.dependentsPending.delete(file);
        const dependents = [...this.dependentsPending].sort((a, b) => Number(this.isOpen(b)) - Number(this.isOpen(a)));
        let checked = 0;
        const backgroundStarted = performance.now();
        for (const dependent of dependents) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.generation !== generation && this.typePending.size > 0) break; // A newer edit goes first.
          this.dependentsPending.delete(dependent);
          this.engine.analyzeTypes(dependent);
          this.publish([dependent]);
          checked++;
          checkedAny = true;
        }
        if (checked > 0) this.logger.info(`re-checked ${checked} dependent file(s) in ${(performance.now() - backgroundStarted).toFixed(1)} ms`);
        let primed = 0;
        const primeStarted = performance.now();
        for (const file of [...this.primePending]) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.generation !== generation && this.typePending.size > 0) break; // A newer edit goes first.
          if (!this.primePending.delete(file)) continue; // Edited or deleted meanwhile.
          const watched = this.engine.dependentsOf(file).length > 0;
          this.record(file, watched ? this.engine.declarationSignature(file) : undefined); // As in declarationsChanged.
          primed++;
        }
        if (primed > 0) this.logger.info(`recorded the declarations of ${primed} file(s) in ${(performance.now() - primeStarted).toFixed(1)} ms`);
        if (this.typeTimer) break; // Still debouncing a newer edit: its timer restarts us.
      }
    } finally {
      this.running = false;
      this.settle(checkedAny);
    }
  }
}
