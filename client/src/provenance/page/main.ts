/// <reference lib="dom" />
/**
 * The provenance page: bundled by scripts/build.mjs into media/provenance/provenance.js. The same
 * script runs in the VS Code webview and in the static report `selfheal report --html` writes;
 * the report tells itself apart by the ledger data it embeds.
 */
import { ProvenanceApp } from "./app";
import { reportTransport, webviewTransport, type ReportData } from "./transport";

const root = document.getElementById("app");
const embedded = document.getElementById("ledger-data");
if (root) {
  const transport = embedded ? reportTransport(JSON.parse(embedded.textContent ?? "{}") as ReportData) : webviewTransport();
  new ProvenanceApp(root, transport, embedded !== null).start();
}
