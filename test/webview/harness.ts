/// <reference lib="dom" />
/**
 * Loads the provenance page in Debian's Chromium (through playwright-core; no browser is ever
 * downloaded) the way VS Code loads it: the real HTML template from panelHtml() with its CSP and
 * nonce, the built media/provenance assets, and the real host side (ProvenanceSession over a
 * FileLedgerView) answering the page's messages in this process.
 *
 * The one fake is `acquireVsCodeApi`: the VS Code webview host cannot exist in plain Chromium,
 * so a nonce'd stub script forwards the page's postMessage to this process and host messages
 * come back as window "message" events, which is what the webview host delivers. The actions
 * that would call VS Code (open a file, copy, roll back) are recorded instead.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { DetailOrigin, EntryDetail } from "../../server/src/engine/ledger/view/entryDetail";
import { FileLedgerView } from "../../server/src/engine/ledger/view/fileLedgerView";
import { parsePageMessage, type HostMessage, type PageMessage } from "../../client/src/provenance/messages";
import { healthViewOf } from "../../client/src/provenance/healthView";
import { newNonce, panelHtml } from "../../client/src/provenance/panelHtml";
import { readHealthLog } from "../../server/src/engine/health/healthLog";
import { ProvenanceSession } from "../../client/src/provenance/session";
import { scriptSafeJson } from "../../server/src/cli/reportCommand";

export const repoRoot = path.resolve(__dirname, "../../..");
export const artifacts = path.join(repoRoot, "test-artifacts", "webview");
const chromiumPath = "/usr/bin/chromium";
const media = path.join(repoRoot, "media", "provenance");

export type RecordedAction =
  | { action: "rollback"; id: string }
  | { action: "openFile"; path: string; line: number | undefined }
  | { action: "openPolicy"; origin: DetailOrigin }
  | { action: "copy"; json: string };

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium); the webview tests never download a browser`);
  if (!fs.existsSync(path.join(media, "provenance.js"))) throw new Error(`${media}/provenance.js is missing: run \`npm run build\` first`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}

/** What a test watches: the page, the host's view, and everything that crossed between them. */
export interface OpenedView {
  page: Page;
  view: FileLedgerView;
  session: ProvenanceSession;
  /** Messages the page sent, as the host received them. */
  fromPage: unknown[];
  actions: RecordedAction[];
  /** The host's log (invalid messages land here). */
  hostLog: string[];
  /** Console errors, page errors and CSP violations. */
  problems: () => Promise<string[]>;
  close(): Promise<void>;
}

/** Serves the webview's HTML and the media folder on 127.0.0.1, as VS Code serves a webview's resources from its own origin. */
async function serve(html: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html());
      return;
    }
    const name = /^\/media\/(provenance\.(?:js|css))$/.exec(url.pathname)?.[1];
    if (url.pathname === "/favicon.ico") {
      // Chromium asks every origin for one; a webview has none to ask for.
      response.writeHead(204).end();
      return;
    }
    if (!name) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/css" }).end(fs.readFileSync(path.join(media, name)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Records console errors, uncaught page errors and CSP violations from the first script on. */
export async function watchProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = violations;
    document.addEventListener("securitypolicyviolation", (event) => violations.push(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`));
  });
  return async () => [...problems, ...(await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []))];
}

export async function openView(
  browser: Browser,
  ledgerFile: string,
  options: { folder?: string; readOnly?: boolean; width?: number; height?: number; healthLog?: string } = {},
): Promise<OpenedView> {
  const nonce = newNonce();
  // VS Code keeps the page's state while the webview is hidden (the page reloads when shown again); here this process keeps it.
  let savedState: unknown = null;
  const stub = () => `<script nonce="${nonce}">
(() => {
  let state = ${scriptSafeJson(savedState)} ?? undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__pageToHost(message),
    getState: () => state,
    setState: (value) => { state = value; window.__saveState(value); },
  });
})();
</script>
`;
  let origin = "";
  const server = await serve(() => {
    const html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/provenance.js`, styleUri: `${origin}/media/provenance.css` });
    // The stub goes right before the page's script, with the same nonce: the page's CSP applies to it as to the page.
    return html.replace(`<script nonce="${nonce}"`, `${stub()}<script nonce="${nonce}"`);
  });
  origin = server.origin;

  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 860 } });
  const problems = await watchProblems(page);
  const view = new FileLedgerView(ledgerFile);
  const fromPage: unknown[] = [];
  const actions: RecordedAction[] = [];
  const hostLog: string[] = [];
  const toPage = (message: HostMessage) =>
    void page.evaluate((data) => window.postMessage(data, "*"), message as unknown as Record<string, unknown>).catch(() => {
      // The page was closed while an answer was on its way.
    });
  const session = new ProvenanceSession(
    view,
    { folder: options.folder ?? "fixture", readOnly: options.readOnly ?? false },
    toPage,
    {
      rollback: async (detail: EntryDetail) => void actions.push({ action: "rollback", id: detail.summary.id }),
      openFile: async (file, line) => void actions.push({ action: "openFile", path: file, line }),
      openPolicy: async (origin) => void actions.push({ action: "openPolicy", origin }),
      copy: async (json) => void actions.push({ action: "copy", json }),
    },
    (line) => hostLog.push(line),
    // As the extension's host does: the workspace's health log, read from its file.
    () => (options.healthLog === undefined ? undefined : healthViewOf(readHealthLog(options.healthLog))),
  );
  const subscription = view.onDidChange(() => session.pushState());
  await page.exposeFunction("__saveState", (state: unknown) => {
    savedState = state;
  });
  await page.exposeFunction("__pageToHost", (message: unknown) => {
    fromPage.push(message);
    return session.receive(message);
  });
  void view.load();
  await page.goto(`${origin}/`);
  return {
    page,
    view,
    session,
    fromPage,
    actions,
    hostLog,
    problems,
    close: async () => {
      subscription.dispose();
      view.dispose();
      await page.close();
      await server.close();
    },
  };
}

/** Every message the page sent must pass the host's schema: the page and the protocol module agree. */
export function invalidMessages(fromPage: readonly unknown[]): string[] {
  return fromPage.map((message) => parsePageMessage(message)).flatMap((parsed) => (parsed.ok ? [] : [parsed.problem]));
}

export function typesSent(fromPage: readonly unknown[]): PageMessage["type"][] {
  return fromPage.map((message) => (message as PageMessage).type);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });
}

/** Whether any script the ledger smuggled in ran: every hostile string sets this flag. */
export async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}
