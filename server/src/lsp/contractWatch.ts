import type { Engine } from "../engine/analysis/engine";

/**
 * Files on disk whose change re-checks contracts: a baseline (`.selfheal/contracts/*.json`), a
 * contract's schema file, a `package.json` (entry points and the version). Schemas and baselines
 * are read from disk by the comparison, so a save, not a keystroke, is what re-checks them.
 */
export function isContractFile(engine: Engine, file: string): boolean {
  return /\/\.selfheal\/contracts\/[^/]+\.json$/.test(file) || /\/package\.json$/.test(file) || engine.contracts.schemaFiles().includes(file);
}

/** The baselines (contract keys) to compare again after these files changed on disk; package.json changes find the contracts again first. */
export function contractsToRecheck(engine: Engine, files: readonly string[]): string[] {
  const baselines = new Set<string>();
  for (const file of files) {
    const { rediscover, targets } = engine.contracts.watchedFile(file);
    if (rediscover) {
      engine.contracts.invalidateTargets();
      for (const target of engine.contracts.targets()) baselines.add(target.baseline);
    }
    for (const target of targets) baselines.add(target.baseline);
  }
  return [...baselines];
}

/**
 * Glob patterns for the client to watch each contract's schema file. By name anywhere (`**\/x.json`):
 * every client reads that form, and events for other files of that name are sorted out on arrival.
 */
export function contractWatchPatterns(engine: Engine): string[] {
  return [...new Set(engine.contracts.schemaFiles().map((file) => `**/${file.slice(file.lastIndexOf("/") + 1).replace(/[[\]{}*?]/g, "?")}`))].sort();
}
