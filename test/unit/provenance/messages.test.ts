import * as assert from "node:assert/strict";
import { effectiveFilter, parsePageMessage } from "../../../client/src/provenance/messages";

const id = "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f";

describe("provenance view: the page's messages, validated by the host", () => {
  it("accepts every message type the page sends, in its exact shape", () => {
    const valid = [
      { type: "ready" },
      { type: "rows", requestId: 1, filter: {}, offset: 0, count: 100 },
      { type: "rows", requestId: 2, filter: { text: "any", file: "src/", subject: "no-var", kind: "apply", actor: "user", outcome: "none", status: "undone", from: "2025-06-01", to: "2025-06-30T23:59:59Z" }, offset: 100, count: 100 },
      { type: "detail", requestId: 3, key: 12_345, id },
      { type: "rollback", key: 0, id },
      { type: "openFile", key: 0, id, path: "src/a.ts" },
      { type: "openPolicy", key: 0, id, reason: 0 },
      { type: "copyEntry", key: 0, id },
    ];
    for (const message of valid) assert.deepEqual(parsePageMessage(message), { ok: true, message }, JSON.stringify(message));
  });

  it("refuses, saying why: unknown types, missing or extra fields, wrong types and out-of-range values", () => {
    const refused: [unknown, string][] = [
      [null, "a message must be a JSON object"],
      [[{ type: "ready" }], "a message must be a JSON object"],
      ["ready", "a message must be a JSON object"],
      [{}, "unknown message type undefined"],
      [{ type: "runCommand" }, 'unknown message type "runCommand"'],
      [{ type: "toString" }, 'unknown message type "toString"'],
      [{ type: "__proto__" }, 'unknown message type "__proto__"'],
      [{ type: "ready", extra: 1 }, 'ready: unexpected field "extra"'],
      [{ type: "detail", requestId: 1, key: 0 }, "detail: id is missing"],
      [{ type: "detail", requestId: -1, key: 0, id }, "detail: requestId must be a whole number from 0 to 9007199254740991"],
      [{ type: "detail", requestId: 1.5, key: 0, id }, "detail: requestId must be a whole number from 0 to 9007199254740991"],
      [{ type: "detail", requestId: 1, key: "0", id }, "detail: key must be a whole number from 0 to 9007199254740991"],
      [{ type: "rollback", key: 0, id: 5 }, "rollback: id must be a string"],
      [{ type: "rollback", key: 0, id: "x".repeat(201) }, "rollback: id must be at most 200 characters"],
      [{ type: "rows", requestId: 1, filter: {}, offset: 0, count: 0 }, "rows: count must be a whole number from 1 to 1000"],
      [{ type: "rows", requestId: 1, filter: {}, offset: 0, count: 1001 }, "rows: count must be a whole number from 1 to 1000"],
      [{ type: "rows", requestId: 1, filter: null, offset: 0, count: 1 }, "rows: filter must be a JSON object"],
      [{ type: "rows", requestId: 1, filter: { text: 1 }, offset: 0, count: 1 }, "rows: filter text must be a string"],
      [{ type: "rows", requestId: 1, filter: { sql: "1=1" }, offset: 0, count: 1 }, 'rows: filter unexpected field "sql"'],
      [{ type: "rows", requestId: 1, filter: { outcome: "maybe" }, offset: 0, count: 1 }, "rows: filter outcome must be one of , auto, review, deny, none"],
      [{ type: "rows", requestId: 1, filter: { from: "yesterday" }, offset: 0, count: 1 }, "rows: filter from must match /^$|^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+Z?)?$/"],
      [{ type: "rows", requestId: 1, filter: { text: "x".repeat(501) }, offset: 0, count: 1 }, "rows: filter text must be at most 500 characters"],
      [{ type: "openPolicy", key: 0, id, reason: 1e9 }, "openPolicy: reason must be a whole number from 0 to 10000"],
      [{ type: "openFile", key: 0, id }, "openFile: path is missing"],
    ];
    for (const [message, problem] of refused) assert.deepEqual(parsePageMessage(message), { ok: false, problem }, JSON.stringify(message));
  });

  it("refuses objects that are not plain JSON (a prototype trick cannot smuggle fields)", () => {
    const withPrototype = Object.create({ id }) as Record<string, unknown>;
    Object.assign(withPrototype, { type: "copyEntry", key: 0 });
    assert.deepEqual(parsePageMessage(withPrototype), { ok: false, problem: "a message must be a JSON object" });
    const inherited = JSON.parse('{"type":"copyEntry","key":0,"id":"a","__proto__":{"x":1}}') as unknown;
    assert.deepEqual(parsePageMessage(inherited), { ok: false, problem: 'copyEntry: unexpected field "__proto__"' });
  });

  it("an empty filter field means any", () => {
    assert.deepEqual(effectiveFilter({ text: "", kind: "apply", outcome: undefined }), { kind: "apply" });
  });
});
