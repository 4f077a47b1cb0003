/**
 * The version bump a contract's drift requires, by semantic versioning: breaking → major,
 * additive → minor, internal → nothing. Before 1.0.0 the leftmost non-zero part plays the major's
 * role, as npm's caret ranges read it (`^0.3.1` accepts 0.3.x, `^0.0.3` only 0.0.3):
 *
 * | baseline version | breaking | additive |
 * |---|---|---|
 * | ≥ 1.0.0 | major | minor |
 * | 0.y.z (y ≥ 1) | minor | patch |
 * | 0.0.z | patch | patch |
 */
import type { Classification } from "./model";

export type Bump = "major" | "minor" | "patch" | "none";

const bumpRank: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] ?? "" };
}

/** The smallest bump that covers every change, with the 0.x rules above; `baselineVersion` defaults to a 1.x one. */
export function requiredBump(changes: ReadonlyArray<{ classification: Classification }>, baselineVersion?: string): Bump {
  const breaking = changes.some((change) => change.classification === "breaking");
  const additive = changes.some((change) => change.classification === "additive");
  if (!breaking && !additive) return "none";
  const version = baselineVersion === undefined ? undefined : parseVersion(baselineVersion);
  if (version && version.major === 0) return version.minor === 0 ? "patch" : breaking ? "minor" : "patch";
  return breaking ? "major" : "minor";
}

export interface BumpCheck {
  ok: boolean;
  required: Bump;
  /** What the versions say was done; "invalid" when one is not a semantic version, "downgrade" when the version went back. */
  actual: Bump | "downgrade" | "invalid";
  message: string;
}

/** Whether going from the baseline's version to the current one is at least the required bump. */
export function checkVersionBump(baselineVersion: string, currentVersion: string, required: Bump): BumpCheck {
  const before = parseVersion(baselineVersion);
  const after = parseVersion(currentVersion);
  if (!before || !after) {
    const bad = before ? currentVersion : baselineVersion;
    return { ok: required === "none", required, actual: "invalid", message: `'${bad}' is not a semantic version (major.minor.patch), so the bump cannot be checked${required === "none" ? "" : `; the drift requires a ${required} bump`}` };
  }
  const actual = bumpBetween(before, after);
  const from = `${baselineVersion} → ${currentVersion}`;
  if (actual === "downgrade") return { ok: false, required, actual, message: `the version went back (${from}); the drift requires ${required === "none" ? "no bump, but not a lower version" : `a ${required} bump`}` };
  if (bumpRank[actual] >= bumpRank[required]) return { ok: true, required, actual, message: required === "none" ? `no bump is required (${from})` : `a ${required} bump is required and ${from} is one${actual === required ? "" : ` (a ${actual} bump)`}` };
  const next = nextVersion(before, required);
  return { ok: false, required, actual, message: `the drift requires a ${required} bump (to ${next} or later${before.major === 0 ? ", by the 0.x rules" : ""}), but the version is ${actual === "none" ? `still ${currentVersion}` : `${from}, a ${actual} bump`}` };
}

function bumpBetween(before: Version, after: Version): Bump | "downgrade" {
  const order = compareVersions(after, before);
  if (order < 0) return "downgrade";
  if (after.major !== before.major) return "major";
  // Under 0.x a minor bump is the breaking one, but what was *done* is still a minor bump: the rules apply to what is required.
  if (after.minor !== before.minor) return "minor";
  if (after.patch !== before.patch) return "patch";
  // 1.2.0-rc.1 → 1.2.0 releases what was already counted; a prerelease change alone bumps nothing.
  return "none";
}

function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  return a < b ? -1 : 1;
}

function nextVersion(version: Version, bump: Bump): string {
  if (bump === "major") return `${version.major + 1}.0.0`;
  if (bump === "minor") return `${version.major}.${version.minor + 1}.0`;
  return `${version.major}.${version.minor}.${version.patch + 1}`;
}

/** The version a drift moves a contract to: what "accept as contract vX.Y.Z" proposes. */
export function bumpedVersion(current: string, bump: Bump): string {
  const version = parseVersion(current);
  if (!version || bump === "none") return current;
  return nextVersion(version, bump);
}
