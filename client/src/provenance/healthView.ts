/**
 * What the provenance page gets of `.selfheal/health.jsonl`: the newest samples (enough for the
 * sparkline and the current breakdowns, so a full 2 MiB log is not posted on every state) and the
 * lines that were skipped. Pure: the host, the report's in-page host and the page share it.
 */
import type { HealthLogProblem, HealthSample, HealthSeries } from "../../../server/src/engine/health/healthSample";

export interface HealthView {
  /** Oldest first; at most `maxSamples` of the newest. */
  samples: HealthSample[];
  /** Samples in the log (more than `samples` holds when it was cut). */
  total: number;
  /** The first skipped lines (torn, hand-edited). */
  problems: HealthLogProblem[];
  problemCount: number;
}

const maxSamples = 500;
const maxProblems = 20;

export function healthViewOf(series: HealthSeries): HealthView {
  return {
    samples: series.samples.slice(-maxSamples),
    total: series.samples.length,
    problems: series.problems.slice(0, maxProblems),
    problemCount: series.problems.length,
  };
}
