// The benchmark corpora: real TypeScript packages from the npm registry, unpacked into the
// gitignored `.cache/bench/<name>/` (src/ and package.json only) with a tsconfig.json that
// type-checks src/ the way the package's own build does. Packages their sources import (test
// runners, @types/node, ...) go into the shared `.cache/bench/node_modules`.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const common = { target: "ES2022", strict: true, skipLibCheck: true, noEmit: true, types: ["node"] };

export const corpora = [
  {
    name: "zod",
    major: 4,
    // Edited while code actions are timed on a busy server: imported, transitively, by most of zod.
    busyFile: "src/v4/core/util.ts",
    tsconfig: {
      // `zod/v4` etc. are self-references: the "@zod/source" export condition maps them into src/.
      compilerOptions: { ...common, lib: ["ES2022", "DOM"], module: "ESNext", moduleResolution: "bundler", customConditions: ["@zod/source"] },
      include: ["src"],
    },
  },
  {
    name: "effect",
    major: 4,
    busyFile: "src/Effect.ts",
    tsconfig: {
      // Relative imports carry `.ts` extensions; the few `effect/X` self-imports map into src/.
      compilerOptions: {
        ...common,
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        allowImportingTsExtensions: true,
        exactOptionalPropertyTypes: true,
        noImplicitOverride: true,
        paths: { effect: ["./src/index.ts"], "effect/*": ["./src/*.ts", "./src/*/index.ts"] },
      },
      include: ["src"],
    },
  },
];

/** What the corpora's sources import from other packages (mostly zod's tests), pinned. */
const dependencies = {
  "@types/node": "26.6.6",
  vitest: "5.1.2",
  "@standard-schema/spec": "1.1.0",
  "@web-std/file": "3.0.3",
  "@seriousme/openapi-schema-validator": "2.11.0",
  benchmark: "2.1.4",
  "@types/benchmark": "2.1.5",
  recheck: "4.5.0",
  esbuild: "0.28.2",
  "ts-morph": "28.0.0",
};

/**
 * Makes sure every corpus is unpacked and configured; returns [{ name, version, folder, busyFile, files }].
 * A corpus already in the cache is reused as is (no network); `refresh` re-resolves the newest version.
 */
export function prepareCorpora(cacheDir, { refresh = false, log = console.log } = {}) {
  fs.mkdirSync(cacheDir, { recursive: true });
  installDependencies(cacheDir, log);
  return corpora.map((corpus) => {
    const folder = path.join(cacheDir, corpus.name);
    const markerFile = path.join(folder, ".bench.json");
    let marker = fs.existsSync(markerFile) ? JSON.parse(fs.readFileSync(markerFile, "utf8")) : undefined;
    if (!marker || refresh) {
      const version = newestVersion(corpus.name, corpus.major);
      if (marker?.version !== version) {
        log(`fetching ${corpus.name}@${version} from the npm registry`);
        const downloads = path.join(cacheDir, "downloads");
        fs.mkdirSync(downloads, { recursive: true });
        const [packed] = JSON.parse(npm(["pack", `${corpus.name}@${version}`, "--json", "--pack-destination", downloads], downloads));
        fs.rmSync(folder, { recursive: true, force: true });
        fs.mkdirSync(folder, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(downloads, packed.filename), "-C", folder, "--strip-components=1", "package/src", "package/package.json"]);
        marker = { package: corpus.name, version };
        fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2) + "\n");
      }
    }
    fs.writeFileSync(path.join(folder, "tsconfig.json"), JSON.stringify(corpus.tsconfig, null, 2) + "\n");
    return { name: corpus.name, version: marker.version, folder, busyFile: corpus.busyFile, files: countSources(path.join(folder, "src")) };
  });
}

/** The newest stable `major`.x release; if there is none, the newest `major`.x prerelease. */
function newestVersion(name, major) {
  const versions = JSON.parse(npm(["view", name, "versions", "--json"])).filter((version) => version.startsWith(`${major}.`));
  const stable = versions.filter((version) => /^\d+\.\d+\.\d+$/.test(version));
  const chosen = (stable.length > 0 ? stable : versions).sort(compareVersions).at(-1);
  if (!chosen) throw new Error(`${name} has no ${major}.x version on the registry`);
  return chosen;
}

function compareVersions(a, b) {
  const parts = (version) => version.split(/[.-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    if (x[index] === y[index]) continue;
    if (x[index] === undefined) return 1; // 4.0.0 > 4.0.0-rc.1
    if (y[index] === undefined) return -1;
    return typeof x[index] === typeof y[index] ? (x[index] < y[index] ? -1 : 1) : typeof x[index] === "number" ? -1 : 1;
  }
  return 0;
}

function installDependencies(cacheDir, log) {
  const missing = Object.entries(dependencies).filter(([name, version]) => {
    const manifest = path.join(cacheDir, "node_modules", name, "package.json");
    return !fs.existsSync(manifest) || JSON.parse(fs.readFileSync(manifest, "utf8")).version !== version;
  });
  if (missing.length === 0) return;
  // Without a package.json here, npm would walk up and install into the repository's own manifest.
  const manifest = path.join(cacheDir, "package.json");
  if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: "selfheal-bench-cache", private: true }, null, 2) + "\n");
  log(`installing ${missing.map(([name, version]) => `${name}@${version}`).join(", ")} into ${cacheDir}/node_modules`);
  npm(["install", "--ignore-scripts", "--no-audit", "--no-fund", "--save-exact", ...Object.entries(dependencies).map(([name, version]) => `${name}@${version}`)], cacheDir);
}

function npm(args, cwd = process.cwd()) {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

function countSources(folder) {
  return fs.readdirSync(folder, { recursive: true }).filter((file) => /\.[cm]?tsx?$/.test(file) && !/\.d\.[cm]?ts$/.test(file)).length;
}
