import * as fs from "node:fs";
import * as path from "node:path";

let cachedFolder: string | undefined;

/**
 * The `policies/` folder shipped with the extension (bundled policies and the JSON Schema).
 * The code runs from dist/ (the bundle), out/server/src/engine/policy/ (tests) or an installed
 * VSIX, each at a different depth, so look upwards for the folder that holds the schema.
 */
export function bundledPoliciesFolder(): string {
  if (cachedFolder !== undefined) return cachedFolder;
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, "policies", "policy.schema.json"))) return (cachedFolder = path.join(folder, "policies"));
    if (path.dirname(folder) === folder) throw new Error(`the bundled policies/ folder was not found above ${__dirname}: the installation is incomplete`);
  }
}
