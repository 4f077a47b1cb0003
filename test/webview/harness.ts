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
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { chromium, type Browser, type Page } from "playwright-core";
import type { DetailOrigin, EntryDetail } from "../../server/src/engine/ledger/view/entryDetail";
import { FileLedgerView } from "../../server/src/engine/ledger/view/fileLedgerView";
import { parsePageMessage, type HostMessage, type PageMessage } from "../../client/src/provenance/messages";
import { healthViewOf } from "../../client/src/provenance/healthView";
import { newNonce, panelHtml } from "../../client/src/provenance/panelHtml";
import { readHealthLog } from "../../server/src/engine/health/healthLog";
import { ProvenanceSession } from "../../client/src/provenance/session";

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

/**
 * Serves the webview's HTML and the media folder on 127.0.0.1 from a worker thread (mediaServer.ts says why), as VS Code
 * serves a webview's resources from its own origin. `html` gets the origin and makes the page, once.
 */
export async function serve(html: (origin: string) => string): Promise<{ origin: string; close(): Promise<void> }> {
  const worker = new Worker(path.join(__dirname, "mediaServer.js"), { workerData: { media } });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const cleanup = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      const onMessage = (message: Record<string, unknown>) => {
        cleanup();
        resolve(message);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
    });
  const { port } = await next();
  const origin = `http://127.0.0.1:${String(port)}`;
  const set = next();
  worker.postMessage({ html: html(origin) });
  await set;
  return { origin, close: async () => void (await worker.terminate()) };
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

/** Milliseconds from the start of the page's navigation (its performance clock), as the page measured them. */
export interface PageTimings {
  /** The HTML has arrived. */
  responseEnd: number;
  /** The page's script has run (it is the last thing in the body) and asked the host for its state and rows. */
  domContentLoaded: number;
  /** The first row of an entry was put in the DOM. */
  rowsInDom: number;
  /** The start of the next frame after that: the frame that painted the rows is done. This is "first rows visible". */
  firstRows: number;
}

/** Starts watching for the first row of an entry, from the page's first script on (call before navigating). */
export async function watchFirstRows(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const timings: Record<string, number> = {};
    (window as unknown as { __timings: Record<string, number> }).__timings = timings;
    new MutationObserver((_records, observer) => {
      if (!document.querySelector(".row:not(.placeholder)")) return;
      observer.disconnect();
      timings.rowsInDom = performance.now();
      requestAnimationFrame(() => (timings.firstRows = performance.now()));
    }).observe(document, { childList: true, subtree: true });
  });
}

/** When the page that openView loaded first showed rows (waits for them up to `timeout` ms). */
export async function firstRowsTimings(page: Page, timeout = 30_000): Promise<PageTimings> {
  await page.waitForFunction(() => (window as unknown as { __timings?: Record<string, number> }).__timings?.firstRows !== undefined, undefined, { timeout });
  return page.evaluate(() => {
    const timings = (window as unknown as { __timings: Record<string, number> }).__timings;
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { responseEnd: navigation.responseEnd, domContentLoaded: navigation.domContentLoadedEventEnd, rowsInDom: timings.rowsInDom, firstRows: timings.firstRows };
  });
}

export async function openView(
  browser: Browser,
  ledgerFile: string,
  options: { folder?: string; readOnly?: boolean; width?: number; height?: number; healthLog?: string } = {},
): Promise<OpenedView> {
  const nonce = newNonce();
  // VS Code keeps the page's state while the webview is hidden (the page reloads when shown again); here the tab's
  // sessionStorage keeps it, which outlives a reload as VS Code's store does.
  const stub = `<script nonce="${nonce}">
(() => {
  const key = "vscode-state";
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__pageToHost(message),
    getState: () => { const saved = sessionStorage.getItem(key); return saved === null ? undefined : JSON.parse(saved); },
    setState: (value) => sessionStorage.setItem(key, JSON.stringify(value)),
  });
})();
</script>
`;
  const server = await serve((origin) => {
    const html = panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/provenance.js`, styleUri: `${origin}/media/provenance.css` });
    // The stub goes right before the page's script, with the same nonce: the page's CSP applies to it as to the page.
    return html.replace(`<script nonce="${nonce}"`, `${stub}<script nonce="${nonce}"`);
  });
  const origin = server.origin;

  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 860 } });
  const problems = await watchProblems(page);
  await watchFirstRows(page);
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
