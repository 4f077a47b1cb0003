import type { Engine, Logger } from "../engine/analysis/engine";

/**
 * When to analyze what after a change. A keystroke gets the syntactic pass at once (parse
 * only, milliseconds) and the type-aware pass after a debounce. After the edited files, the
 * files that import them are re-checked in the background, open ones first, one file per
 * turn of the event loop so requests are answered in between. A newer edit cancels the
 * remaining background work and reschedules it behind its own.
 */
export class AnalysisScheduler {
  private generation = 0;
  private readonly syntaxPending = new Set<string>();
  private syntaxScheduled = false;
  private readonly typePending = new Set<string>();
  private readonly dependentsPending = new Set<string>();
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
  }

  /** True when no pass is queued or running: tests and the status item use it. */
  get idle(): boolean {
    return !this.running && !this.typeTimer && !this.syntaxScheduled && this.typePending.size === 0 && this.dependentsPending.size === 0;
  }

  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
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
    try {
      while (this.typePending.size > 0 || this.dependentsPending.size > 0) {
        const generation = this.generation;
        const edited = [...this.typePending];
        this.typePending.clear();
        const started = performance.now();
        for (const file of edited) {
          this.engine.analyzeTypes(file);
          this.publish([file]);
          for (const dependent of this.engine.dependentsOf(file)) this.dependentsPending.add(dependent);
        }
        if (edited.length > 0) this.logger.info(`type-aware pass: ${edited.length} edited file(s) in ${(performance.now() - started).toFixed(1)} ms`);
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
        }
        if (checked > 0) this.logger.info(`re-checked ${checked} dependent file(s) in ${(performance.now() - backgroundStarted).toFixed(1)} ms`);
        if (this.typeTimer) break; // Still debouncing a newer edit: its timer restarts us.
      }
    } finally {
      this.running = false;
      if (this.idle) {
        this.onIdle();
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
