import * as assert from "node:assert/strict";
import type { HostMessage } from "../../../client/src/provenance/messages";
import { ActionRefused, ProvenanceSession, type ProvenanceActions } from "../../../client/src/provenance/session";
import { FileLedgerView } from "../../../server/src/engine/ledger/view/fileLedgerView";
import { MemoryLedgerView } from "../../../server/src/engine/ledger/view/ledgerView";
import { intactLedger, ledgerText, type FixtureLedger } from "../../webview/fixtures";
import { removeTempDirs } from "../helpers/workspace";

interface Harness {
  session: ProvenanceSession;
  posted: HostMessage[];
  log: string[];
  calls: string[];
  fixture: FixtureLedger;
  view: FileLedgerView;
}

/** The real session over the real file view; the actions record what VS Code would have been asked to do. */
async function sessionOver(readOnly = false, overrides: Partial<ProvenanceActions> = {}): Promise<Harness> {
  const fixture = await intactLedger();
  const view = new FileLedgerView(fixture.location.ledgerFile);
  await view.load();
  const posted: HostMessage[] = [];
  const log: string[] = [];
  const calls: string[] = [];
  const actions: ProvenanceActions = {
    copy: async (json) => void calls.push(`copy ${JSON.parse(json).predicate.chain.seq}`),
    openFile: async (path, line) => void calls.push(`openFile ${path}:${line}`),
    openPolicy: async (origin) => void calls.push(`openPolicy ${origin.file}:${origin.line}`),
    rollback: async (detail) => void calls.push(`rollback ${detail.summary.seq}`),
    ...overrides,
  };
  const session = new ProvenanceSession(view, { folder: "demo", readOnly }, (message) => posted.push(message), actions, (line) => log.push(line));
  return { session, posted, log, calls, fixture, view };
}

function address(harness: Harness, seq: number): { key: number; id: string } {
  const row = harness.view.rows({}, 0, 100).rows.find((candidate) => candidate.seq === seq)!;
  return { key: row.key, id: row.id };
}

describe("provenance view: the session between page and host", () => {
  afterEach(removeTempDirs);

  it("answers ready with the state, rows with a window, detail with the entry", async () => {
    const harness = await sessionOver();
    await harness.session.receive({ type: "ready" });
    await harness.session.receive({ type: "rows", requestId: 7, filter: { kind: "apply", text: "" }, offset: 1, count: 2 });
    await harness.session.receive({ type: "detail", requestId: 8, ...address(harness, 2) });
    const [state, rows, detail] = harness.posted;
    assert.ok(state.type === "state" && state.context.folder === "demo" && state.state.listed === 6 && state.state.integrity.state === "intact");
    assert.ok(rows.type === "rows");
    assert.equal(rows.requestId, 7);
    assert.equal(rows.page.total, 4);
    assert.deepEqual(
      rows.page.rows.map((row) => row.seq),
      [4, 2],
    );
    assert.ok(detail.type === "detail" && detail.requestId === 8 && detail.detail?.summary.seq === 2);
    assert.deepEqual(harness.log, []);
  });

  it("actions get their data from the ledger, not from the page", async () => {
    const harness = await sessionOver();
    const second = address(harness, 2);
    await harness.session.receive({ type: "openFile", ...second, path: "src/http/routes.ts" });
    await harness.session.receive({ type: "openPolicy", ...second, reason: 0 });
    await harness.session.receive({ type: "copyEntry", ...second });
    await harness.session.receive({ type: "rollback", ...second });
    assert.deepEqual(harness.calls, ["openFile src/http/routes.ts:4", "openPolicy .selfheal/policy.yaml:9", "copy 2", "rollback 2"]);
    assert.deepEqual(
      harness.posted.map((message) => (message.type === "notice" ? message.messageId : message.type)),
      ["provenance-copied"],
    );
  });

  it("refuses what the entry does not back up, with a stable id, and does nothing", async () => {
    const harness = await sessionOver();
    const second = address(harness, 2);
    await harness.session.receive({ type: "openFile", ...second, path: "src/http/logPayload.ts" });
    await harness.session.receive({ type: "openPolicy", ...second, reason: 3 });
    await harness.session.receive({ type: "rollback", ...address(harness, 1) });
    await harness.session.receive({ type: "copyEntry", key: second.key, id: address(harness, 3).id });
    await harness.session.receive({ type: "openFile", ...address(harness, 6), path: "src/http/logPayload.ts" });
    assert.deepEqual(harness.calls, ["openFile src/http/logPayload.ts:3"], "only the rollback entry (6) changed logPayload.ts");
    assert.deepEqual(
      harness.posted.map((message) => message.type === "notice" && [message.level, message.messageId]),
      [
        ["warning", "provenance-path-refused"],
        ["info", "provenance-no-policy-line"],
        ["warning", "ledger-rollback-already-undone"],
        ["warning", "provenance-entry-gone"],
      ],
    );
  });

  it("a read-only view (the report) opens nothing and rolls nothing back, but copies", async () => {
    const fixture = await intactLedger();
    const view = new MemoryLedgerView(ledgerText(fixture), { state: "intact", entries: 6 });
    const posted: HostMessage[] = [];
    const copied: string[] = [];
    const session = new ProvenanceSession(view, { folder: "report", readOnly: true }, (message) => posted.push(message), { copy: async (json) => void copied.push(json) }, () => undefined);
    const second = { key: 1, id: fixture.entries[1].predicate.id };
    await session.receive({ type: "rollback", ...second });
    await session.receive({ type: "openFile", ...second, path: "src/http/routes.ts" });
    await session.receive({ type: "copyEntry", ...second });
    assert.deepEqual(
      posted.map((message) => message.type === "notice" && message.messageId),
      ["provenance-read-only", "provenance-read-only", "provenance-copied"],
    );
    assert.deepEqual(JSON.parse(copied[0]), fixture.entries[1]);
  });

  it("an action that fails: the page is told, the stack is logged; a refusal is only told", async () => {
    const harness = await sessionOver(false, {
      openFile: async () => {
        throw new Error("disk on fire");
      },
      openPolicy: async () => {
        throw new ActionRefused("provenance-file-missing", "gone", "info");
      },
    });
    const second = address(harness, 2);
    await harness.session.receive({ type: "openFile", ...second, path: "src/http/routes.ts" });
    await harness.session.receive({ type: "openPolicy", ...second, reason: 0 });
    assert.deepEqual(harness.posted, [
      { type: "notice", level: "error", messageId: "provenance-action-failed", message: "the action failed: disk on fire" },
      { type: "notice", level: "info", messageId: "provenance-file-missing", message: "gone" },
    ]);
    assert.equal(harness.log.length, 1);
    assert.match(harness.log[0], /^provenance-action-failed: openFile: Error: disk on fire/);
  });

  it("invalid messages are logged with the reason and answered with nothing", async () => {
    const harness = await sessionOver();
    await harness.session.receive({ type: "rows", requestId: 1, filter: {}, offset: 0, count: 5000 });
    await harness.session.receive({ type: "eval", code: "1" });
    assert.deepEqual(harness.posted, []);
    assert.deepEqual(harness.log, [
      "provenance-invalid-message: ignored a message from the provenance page: rows: count must be a whole number from 1 to 1000",
      'provenance-invalid-message: ignored a message from the provenance page: unknown message type "eval"',
    ]);
  });
});
