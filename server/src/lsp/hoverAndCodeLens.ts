/**
 * Hover and CodeLens: on a source line, which recorded change wrote it ("why is this line like
 * this?"); on a policy file, what the key under the cursor means.
 */
import { type Connection, type Hover, MarkupKind } from "vscode-languageserver/node";
import { policyHover } from "../engine/policy/hover";
import { type ProvenanceLines, provenanceHover } from "./provenanceHover";
import { provenanceCodeLenses } from "./provenanceLens";
import type { ServerSession } from "./serverSession";
import { uriToPath } from "./uris";

export function registerHoverAndCodeLens(connection: Connection, session: ServerSession, provenanceLines: ProvenanceLines): void {
  const { engine, documents } = session;

  connection.onCodeLens(async ({ textDocument }) => {
    const file = uriToPath(textDocument.uri);
    const document = documents.get(textDocument.uri);
    return file && document && !engine.isPolicyFile(file) ? provenanceCodeLenses(provenanceLines, file, document.getText()) : [];
  });

  connection.onHover(async ({ textDocument, position }): Promise<Hover | null> => {
    const file = uriToPath(textDocument.uri);
    const document = documents.get(textDocument.uri);
    if (!file || !document) return null;
    if (!engine.isPolicyFile(file)) return provenanceHover(provenanceLines, file, document.getText(), position.line);
    const hover = policyHover(document.getText(), document.offsetAt(position));
    return hover ? { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: hover.range } : null;
  });
}
