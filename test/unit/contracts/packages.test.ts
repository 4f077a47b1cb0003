import * as assert from "node:assert/strict";
import { contractTargets } from "../../../server/src/engine/contracts/contractTargets";
import { contractNameOf, findPackageFiles, packageEntries } from "../../../server/src/engine/contracts/packages";
import { nodePolicyHost } from "../../../server/src/engine/policy/host";
import { loadPolicy } from "../../../server/src/engine/policy/load";
import { makeTempDir, removeTempDirs, writeFiles } from "../helpers/workspace";

const buildConfig = JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: "src", declaration: true } });

describe("contracts: package entry points", () => {
  afterEach(removeTempDirs);

  it("maps every exports sub-path through its conditions to the TypeScript source (outDir → rootDir)", () => {
    const root = makeTempDir();
    writeFiles(root, {
      "package.json": JSON.stringify({
        name: "@acme/core",
        version: "2.1.0",
        exports: {
          ".": { import: { types: "./dist/index.d.mts", default: "./dist/index.mjs" }, require: { types: "./dist/index.d.ts", default: "./dist/index.js" } },
          "./utils": "./dist/utils/index.js",
          "./package.json": "./package.json",
          "./locales/*": "./dist/locales/*.js",
          "./internal": null,
        },
      }),
      "tsconfig.json": buildConfig,
      "src/index.ts": "export const a = 1;\n",
      "src/utils/index.ts": "export const b = 2;\n",
    });
    assert.deepEqual(
      packageEntries(`${root}/package.json`).map(({ subpath, entryFile, origin, version }) => ({ subpath, entryFile, origin, version })),
      [
        { subpath: ".", entryFile: `${root}/src/index.ts`, origin: 'exports["."].import.types', version: "2.1.0" },
        { subpath: "./utils", entryFile: `${root}/src/utils/index.ts`, origin: 'exports["./utils"]', version: "2.1.0" },
      ],
    );
  });

  it("prefers a condition that points at source, uses types/typings/main without exports, and falls back to a .d.ts", () => {
    const root = makeTempDir();
    writeFiles(root, {
      "source/package.json": JSON.stringify({ name: "source", exports: { ".": { "@acme/source": "./src/index.ts", types: "./index.d.ts" } } }),
      "source/src/index.ts": "export {};\n",
      "typed/package.json": JSON.stringify({ name: "typed", types: "./lib/index.d.ts" }),
      "typed/lib/index.d.ts": "export declare const x: number;\n",
      "main/package.json": JSON.stringify({ name: "main", main: "./index.js" }),
      "main/index.ts": "export {};\n",
      "plain/package.json": JSON.stringify({ name: "plain", main: "./index.js" }),
      "nameless/package.json": JSON.stringify({ version: "1.0.0" }),
    });
    const entry = (folder: string) => packageEntries(`${root}/${folder}/package.json`).map(({ entryFile, origin, problem }) => ({ entryFile, origin, problem }));
    assert.deepEqual(entry("source"), [{ entryFile: `${root}/source/src/index.ts`, origin: 'exports["."].@acme/source', problem: undefined }]);
    assert.deepEqual(entry("typed"), [{ entryFile: `${root}/typed/lib/index.d.ts`, origin: "types", problem: undefined }]);
    assert.deepEqual(entry("main"), [{ entryFile: `${root}/main/index.ts`, origin: "main", problem: undefined }]);
    assert.deepEqual(entry("plain"), [{ entryFile: undefined, origin: "main", problem: "no TypeScript source or declaration file for ./index.js" }]);
    assert.deepEqual(entry("nameless"), []);
  });

  it("names contracts after the package and sub-path, safe as a file name", () => {
    assert.equal(contractNameOf("@acme/core", "."), "acme-core");
    assert.equal(contractNameOf("@acme/core", "./utils/strings"), "acme-core-utils-strings");
    assert.equal(contractNameOf("lodash.merge", "."), "lodash-merge");
  });

  it("finds package.json files but not in node_modules, build output or dot-folders", () => {
    const root = makeTempDir();
    writeFiles(root, { "package.json": "{}", "packages/a/package.json": "{}", "node_modules/x/package.json": "{}", "dist/package.json": "{}", ".git/package.json": "{}" });
    assert.deepEqual(findPackageFiles(root), [`${root}/package.json`, `${root}/packages/a/package.json`]);
  });

  it("lists declared contracts first; an entry point a policy declares is not found twice; colliding names are numbered", () => {
    const root = makeTempDir();
    writeFiles(root, {
      ".selfheal/policy.yaml": "version: 1\ncontracts:\n  - { name: public-api, entry: packages/core/src/index.ts, breaking: warning }\n",
      "packages/core/package.json": JSON.stringify({ name: "core", exports: { ".": "./src/index.ts", "./v4-mini": "./src/a.ts", "./v4/mini": "./src/b.ts" } }),
      "packages/core/src/index.ts": "export {};\n",
      "packages/core/src/a.ts": "export {};\n",
      "packages/core/src/b.ts": "export {};\n",
    });
    const loaded = loadPolicy(`${root}/.selfheal/policy.yaml`, root, nodePolicyHost);
    assert.ok(loaded.policy, JSON.stringify(loaded.problems));
    const packages = findPackageFiles(root).flatMap((file) => packageEntries(file));
    const { targets } = contractTargets({ folder: root, policies: [loaded.policy], packages });
    assert.deepEqual(
      targets.map(({ name, file, baseline, declared, breaking, packageRoot }) => ({ name, file, baseline, declared, breaking, packageRoot })),
      [
        { name: "public-api", file: `${root}/packages/core/src/index.ts`, baseline: `${root}/.selfheal/contracts/public-api.json`, declared: true, breaking: "warning", packageRoot: `${root}/packages/core` },
        { name: "core-v4-mini", file: `${root}/packages/core/src/a.ts`, baseline: `${root}/.selfheal/contracts/core-v4-mini.json`, declared: false, breaking: "error", packageRoot: `${root}/packages/core` },
        { name: "core-v4-mini-2", file: `${root}/packages/core/src/b.ts`, baseline: `${root}/.selfheal/contracts/core-v4-mini-2.json`, declared: false, breaking: "error", packageRoot: `${root}/packages/core` },
      ],
    );
  });
});
