import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Rule documentation ships inside the package (docs/rules/<id>.md), so links work offline and
 * always match the installed version. The bundle lives in dist/, one level below the root;
 * compiled tests live deeper, so search upwards for the folder.
 */
function docsRoot(): string {
  let folder = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    if (fs.existsSync(path.join(folder, "docs", "rules"))) return path.join(folder, "docs");
    folder = path.dirname(folder);
  }
  return path.join(__dirname, "..", "docs");
}

let cachedRoot: string | undefined;

export function ruleDocsUri(ruleId: string): string {
  cachedRoot ??= docsRoot();
  return pathToFileURL(path.join(cachedRoot, "rules", `${ruleId}.md`)).href;
}

export function messageDocsUri(messageId: string): string {
  cachedRoot ??= docsRoot();
  return pathToFileURL(path.join(cachedRoot, "messages.md")).href + `#${messageId}`;
}
