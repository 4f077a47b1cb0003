/** Documented in docs/cli.md; CI scripts depend on them, so they never change meaning. */
export const ExitCode = {
  /** No finding at or above the --fail-on level. */
  ok: 0,
  /** At least one finding at or above the --fail-on level. */
  findings: 1,
  /** The command line was wrong (unknown option, missing folder). */
  usage: 2,
  /** The tool itself failed; the message says where. */
  internal: 3,
} as const;
