// Code-action latency through the real language server: `node dist/selfheal.js lsp --stdio` as a
// child, driven by the protocol library editors use. Waits for the start-up analysis to finish
// (diagnostics published, then a `selfheal/status` "idle"), then times textDocument/codeAction
// requests for published diagnostics, one at a time, as an editor sends them when the cursor moves.
// Then, as information, the same requests while the server is busy: `busyFile` is opened and
// edited (a new export, so every file importing it must be re-checked), and requests go out
// back to back until the server reports idle again.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import protocol from "vscode-languageserver-protocol/node.js";

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, CodeActionRequest } =
  protocol;

export async function measureCodeActions(serverScript, corpus, busyFile, requestCount = 100) {
  const child = spawn(process.execPath, [serverScript, "lsp", "--stdio"], { cwd: corpus, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.on("error", () => {});
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Map();
  let idleCount = 0;
  let onIdle = () => {};
  const nextIdle = () => new Promise((resolve) => (onIdle = resolve));
  let idle = nextIdle();
  connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics: list }) => diagnostics.set(uri, list));
  connection.onNotification("selfheal/status", (status) => {
    if (status.state !== "idle" || diagnostics.size === 0) return;
    idleCount++;
    onIdle();
  });
  connection.onRequest(() => null); // Registrations and anything else a server may ask: accept.
  connection.listen();

  try {
    const started = performance.now();
    const folderUri = pathToFileURL(corpus).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: path.basename(corpus) }],
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          codeAction: { isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix"] } } },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await Promise.race([idle, exited.then((code) => Promise.reject(new Error(`server exited (${code}): ${stderr.slice(-2000)}`)))]);
    const startupMs = performance.now() - started;

    const requests = pickRequests(diagnostics, requestCount);
    const timings = [];
    let actions = 0;
    const request = async ({ uri, range, diagnostic }) => {
      const sent = performance.now();
      const result = await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: diagnostic ? [diagnostic] : [], triggerKind: 2 } });
      return { ms: performance.now() - sent, actions: result?.length ?? 0 };
    };
    for (const next of requests) {
      const { ms, actions: count } = await request(next);
      timings.push(ms);
      actions += count;
    }

    const published = [...diagnostics.values()].reduce((sum, list) => sum + list.length, 0);
    const filesWithDiagnostics = [...diagnostics.values()].filter((list) => list.length > 0).length;

    // Busy: an edit that changes what busyFile exports, then requests until the re-check is over.
    const busy = { file: busyFile, timings: [], recheckMs: 0 };
    const uri = pathToFileURL(path.join(corpus, busyFile)).href;
    const text = fs.readFileSync(path.join(corpus, busyFile), "utf8");
    const idleBefore = idleCount;
    idle = nextIdle();
    const edited = performance.now();
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text } });
    await connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\nexport const __bench_busy = 1;\n` }] });
    for (let index = 0; idleCount === idleBefore && busy.timings.length < 2000; index++) busy.timings.push((await request(requests[index % requests.length])).ms);
    await idle;
    busy.recheckMs = performance.now() - edited;

    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    return { startupMs, timings, actions, published, filesWithDiagnostics, busy };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

/** Round-robin over the files with diagnostics; if there are too few, plain ranges at the top of files fill up. */
function pickRequests(diagnostics, count) {
  const files = [...diagnostics.entries()].filter(([, list]) => list.length > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const requests = [];
  for (let round = 0; requests.length < count && files.some(([, list]) => list.length > round); round++) {
    for (const [uri, list] of files) {
      if (requests.length === count) break;
      if (round < list.length) requests.push({ uri, range: list[round].range, diagnostic: list[round] });
    }
  }
  const uris = [...diagnostics.keys()].sort();
  for (let index = 0; requests.length < count && uris.length > 0; index++) {
    const line = Math.floor(index / uris.length);
    requests.push({ uri: uris[index % uris.length], range: { start: { line, character: 0 }, end: { line, character: 1 } } });
  }
  return requests;
}
