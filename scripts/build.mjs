// Bundles the extension (client) and the server/CLI with esbuild, and copies TypeScript's
// lib.*.d.ts next to the server bundle: the bundled compiler looks for them beside itself.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const production = process.argv.includes("--production");

fs.mkdirSync(dist, { recursive: true });
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  legalComments: "none",
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "client/src/extension.ts")],
    outfile: path.join(dist, "extension.js"),
    external: ["vscode"],
  }),
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "server/src/selfheal.ts")],
    outfile: path.join(dist, "selfheal.js"),
    define: { SELFHEAL_VERSION: JSON.stringify(version) },
    // ts-morph carries its own copy of the compiler; point it at ours so one copy ships.
    alias: { "@ts-morph/common/dist/typescript": "typescript" },
  }),
  // The provenance page (the webview's script and the static report's): one file, no imports at run time.
  esbuild.build({
    ...common,
    platform: "browser",
    target: "chrome120",
    format: "iife",
    sourcemap: false,
    entryPoints: [path.join(root, "client/src/provenance/page/main.ts")],
    outfile: path.join(root, "media/provenance/provenance.js"),
  }),
]);

const libFolder = path.join(root, "node_modules/typescript/lib");
for (const name of fs.readdirSync(libFolder)) {
  if (/^lib\..*\.d\.ts$/.test(name) || name === "lib.d.ts") fs.copyFileSync(path.join(libFolder, name), path.join(dist, name));
}
fs.chmodSync(path.join(dist, "selfheal.js"), 0o755);
console.log(`built dist/extension.js, dist/selfheal.js and media/provenance/provenance.js (v${version})`);
