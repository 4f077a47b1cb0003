/**
 * The webview's HTML: a constant template into which only the nonce, the webview's CSP source
 * and the two asset URIs go. No text from the ledger or the workspace is ever part of it (the
 * page gets that through messages and renders it as text).
 */
import { randomBytes } from "node:crypto";

export interface PanelHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

const template = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src {{cspSource}}; script-src 'nonce-{{nonce}}'; img-src {{cspSource}};">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{styleUri}}">
<title>Provenance</title>
</head>
<body>
<main id="app"></main>
<script nonce="{{nonce}}" src="{{scriptUri}}"></script>
</body>
</html>
`;

/** A fresh nonce per page load: 128 random bits, base64url (no character the template would need to escape). */
export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

export function panelHtml(parts: PanelHtmlParts): string {
  for (const [name, value] of Object.entries(parts) as [keyof PanelHtmlParts, string][]) {
    // These come from VS Code, but the template is the page's security boundary: anything that could end the attribute
    // (or, in the CSP, start another directive) is refused rather than escaped.
    const unsafe = name === "cspSource" ? /["<>`;\\]|[^\x20-\x7e]/ : /["'<>`\\]|[^\x21-\x7e]/;
    if (value === "" || unsafe.test(value)) throw new Error(`provenance view: refusing to put ${name} ${JSON.stringify(value)} into the page's HTML`);
  }
  return template.replace(/\{\{(cspSource|nonce|scriptUri|styleUri)\}\}/g, (_match, name: keyof PanelHtmlParts) => parts[name]);
}
