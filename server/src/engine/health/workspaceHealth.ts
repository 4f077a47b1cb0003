/**
 * Records an analysed workspace folder's health in its `.selfheal/health.jsonl`: what the
 * language server does after an analysis and `selfheal check --record-health` after its run.
 * Counts only the folder's own files, so each folder of a multi-root workspace keeps its own log.
 */
import type { Engine } from "../analysis/engine";
import { isUnder } from "../workspace/paths";
import { healthLogFile, recordHealthSample, type RecordOptions, type RecordOutcome } from "./healthLog";
import { healthSampleOf } from "./healthSample";

/** `folder`: absolute, forward slashes (as the engine's workspace lists folders). */
export function recordFolderHealth(engine: Engine, folder: string, now = new Date(), options: RecordOptions = {}): RecordOutcome {
  const files = engine.workspace.analyzedFiles().filter((file) => isUnder(file, folder));
  let lines = 0;
  for (const file of files) {
    const text = engine.workspace.documents.read(file);
    if (text) lines += text.split("\n").length;
  }
  const findings = engine.allFindings().filter((finding) => isUnder(finding.file, folder));
  return recordHealthSample(healthLogFile(folder), healthSampleOf(findings, folder, files.length, lines, now), options);
}
