import * as assert from "node:assert/strict";
import { bumpedVersion, checkVersionBump, parseVersion, requiredBump } from "../../../server/src/engine/contracts/versionBump";

const changes = (...classifications: Array<"breaking" | "additive" | "internal">) => classifications.map((classification) => ({ classification }));

describe("contracts: version bumps", () => {
  it("requires major for breaking, minor for additive, nothing for internal (1.x and later)", () => {
    assert.equal(requiredBump(changes("breaking", "additive"), "1.4.2"), "major");
    assert.equal(requiredBump(changes("additive", "internal"), "2.0.0"), "minor");
    assert.equal(requiredBump(changes("internal"), "2.0.0"), "none");
    assert.equal(requiredBump([], "2.0.0"), "none");
    assert.equal(requiredBump(changes("breaking")), "major", "no version: the 1.x rules");
  });

  it("applies the 0.x rules: 0.y breaking → minor, additive → patch; 0.0.z anything → patch", () => {
    assert.equal(requiredBump(changes("breaking"), "0.3.1"), "minor");
    assert.equal(requiredBump(changes("additive"), "0.3.1"), "patch");
    assert.equal(requiredBump(changes("breaking"), "0.0.4"), "patch");
    assert.equal(requiredBump(changes("additive"), "0.0.4"), "patch");
    assert.equal(requiredBump(changes("internal"), "0.0.4"), "none");
  });

  it("checks the bump made against the one required, and says what would do", () => {
    assert.deepEqual(checkVersionBump("1.2.3", "2.0.0", "major"), { ok: true, required: "major", actual: "major", message: "a major bump is required and 1.2.3 → 2.0.0 is one" });
    assert.deepEqual(checkVersionBump("1.2.3", "1.3.0", "major"), { ok: false, required: "major", actual: "minor", message: "the drift requires a major bump (to 2.0.0 or later), but the version is 1.2.3 → 1.3.0, a minor bump" });
    assert.deepEqual(checkVersionBump("1.2.3", "1.2.3", "minor"), { ok: false, required: "minor", actual: "none", message: "the drift requires a minor bump (to 1.3.0 or later), but the version is still 1.2.3" });
    assert.deepEqual(checkVersionBump("0.3.1", "0.4.0", "minor"), { ok: true, required: "minor", actual: "minor", message: "a minor bump is required and 0.3.1 → 0.4.0 is one" });
    assert.match(checkVersionBump("0.3.1", "0.3.2", "minor").message, /to 0\.4\.0 or later, by the 0\.x rules/);
    assert.equal(checkVersionBump("1.2.3", "3.0.0", "minor").ok, true, "more than required is fine");
    assert.equal(checkVersionBump("1.2.3", "1.2.3", "none").ok, true);
  });

  it("refuses a version that went back, and says when a version is not semantic", () => {
    assert.deepEqual(checkVersionBump("2.0.0", "1.9.0", "none"), { ok: false, required: "none", actual: "downgrade", message: "the version went back (2.0.0 → 1.9.0); the drift requires no bump, but not a lower version" });
    const invalid = checkVersionBump("1.0", "1.1.0", "minor");
    assert.equal(invalid.ok, false);
    assert.equal(invalid.actual, "invalid");
    assert.match(invalid.message, /'1\.0' is not a semantic version/);
  });

  it("reads prereleases and build metadata; a prerelease of the next major counts as the major", () => {
    assert.deepEqual(parseVersion("v1.2.3-rc.1+build.5"), { major: 1, minor: 2, patch: 3, prerelease: "rc.1" });
    assert.equal(parseVersion("1.2"), undefined);
    assert.equal(checkVersionBump("1.2.3", "2.0.0-rc.1", "major").ok, true);
    assert.equal(checkVersionBump("2.0.0-rc.1", "2.0.0", "none").actual, "none");
    assert.equal(bumpedVersion("1.2.3", "minor"), "1.3.0");
    assert.equal(bumpedVersion("0.3.1", "patch"), "0.3.2");
  });
});
