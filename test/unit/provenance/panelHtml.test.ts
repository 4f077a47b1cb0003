import * as assert from "node:assert/strict";
import { newNonce, panelHtml } from "../../../client/src/provenance/panelHtml";

const parts = {
  cspSource: "https://*.vscode-cdn.net",
  nonce: "abcDEF123_-",
  scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/provenance/provenance.js",
  styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/provenance/provenance.css",
};

describe("provenance view: the webview's HTML", () => {
  it("a strict CSP with the nonce; the script and style from the given URIs; nothing else", () => {
    const html = panelHtml(parts);
    assert.ok(
      html.includes(`content="default-src 'none'; style-src https://*.vscode-cdn.net; script-src 'nonce-abcDEF123_-'; img-src https://*.vscode-cdn.net;"`),
      html,
    );
    assert.ok(html.includes(`<script nonce="abcDEF123_-" src="${parts.scriptUri}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${parts.styleUri}">`));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(!html.includes("{{"));
    assert.ok(!/ on[a-z]+=/i.test(html), "no inline handler");
  });

  it("refuses a value that could leave its attribute or add a CSP directive", () => {
    for (const [name, value] of [
      ["nonce", 'x" onload="alert(1)'],
      ["nonce", ""],
      ["scriptUri", "https://x/a.js><script>alert(1)</script>"],
      ["styleUri", "https://x/a b.css"],
      ["cspSource", "https://x; script-src *"],
      ["cspSource", 'https://x"'],
    ] as const) {
      assert.throws(() => panelHtml({ ...parts, [name]: value }), /refusing to put/, `${name} = ${value}`);
    }
  });

  it("a fresh nonce every time, 128 bits, safe in the template", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
  });
});
