/**
 * The webview's HTML and media/provenance, served on 127.0.0.1 from a worker thread (started by
 * harness.ts). In VS Code the extension host never serves the page's resources: the workbench
 * loads them while the extension host is busy reading the ledger. Served from the test's main
 * thread, every request would wait for that reading (it parses in 50 ms slices), and the page's
 * load time would measure the harness rather than the page.
 *
 * Protocol with the harness: the worker posts `{ port }` once listening; the harness posts
 * `{ html }` (the page for "/") and the worker answers `{ html: "set" }`.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const media = (workerData as { media: string }).media;
const port = parentPort;
if (!port) throw new Error("mediaServer.js runs as a worker thread (see harness.ts)");
let html: string | undefined;

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname === "/" && html !== undefined) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    return;
  }
  if (url.pathname === "/favicon.ico") {
    // Chromium asks every origin for one; a webview has none to ask for.
    response.writeHead(204).end();
    return;
  }
  const name = /^\/media\/(provenance\.(?:js|css))$/.exec(url.pathname)?.[1];
  if (!name) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/css" }).end(fs.readFileSync(path.join(media, name)));
});

port.on("message", (message: { html: string }) => {
  html = message.html;
  port.postMessage({ html: "set" });
});
server.listen(0, "127.0.0.1", () => port.postMessage({ port: (server.address() as AddressInfo).port }));
