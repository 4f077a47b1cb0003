import * as assert from "node:assert/strict";
import * as path from "node:path";
import {
  type CodeAction,
  CodeActionRequest,
  type Diagnostic,
  DiagnosticSeverity,
  FileChangeType,
  HoverRequest,
  type MarkupContent,
  MessageType,
} from "vscode-languageserver-protocol/node";
import { type ServerStatus, serverStatusRequest, workspaceTrustedNotification } from "../../server/src/protocol/customMessages";
import { createWorkspace, editorCapabilities, LspClient, removeWorkspace, type StartOptions, tsconfig, uriOf, writeFile } from "./lspClient";

const policyName = ".selfheal/policy.yaml";

/** The policy most tests start from; tests that change it write a variant with `policyWith`. */
const policyLines = [
  "version: 1", // line 1
  "rules:",
  "  floating-promise: { severity: error, autofix: off }",
  "protected:", // line 4
  '  - paths: ["src/billing/**"]', // line 5: the entry a denial points at
  "    autofix: deny",
  '    reason: "PCI scope: human changes only"',
];
const policyText = policyLines.join("\n") + "\n";

function policyWith(...extraLines: string[]): string {
  return [...policyLines, ...extraLines].join("\n") + "\n";
}

const files = {
  "tsconfig.json": tsconfig,
  "src/store.ts": "export async function save(): Promise<void> {}\n",
  "src/main.ts": 'import { save } from "./store";\n\nsave();\nexport let loose: any;\n',
  "src/billing/charge.ts": "export let amount: any = 1;\n",
  [policyName]: policyText,
};

const replaceTitle = "Replace `any` with `unknown`";
/** Titles end with the policy's decision. */
const titled = (decision: "auto" | "review" | "denied") => `${replaceTitle} (${decision})`;

describe("LSP policy", () => {
  let folder: string;
  let client: LspClient | undefined;
  let policy: string;
  let main: string;
  let charge: string;

  beforeEach(() => {
    folder = createWorkspace(files);
    policy = uriOf(folder, policyName);
    main = uriOf(folder, "src/main.ts");
    charge = uriOf(folder, "src/billing/charge.ts");
  });

  afterEach(async () => {
    await client?.dispose();
    client = undefined;
    removeWorkspace(folder);
  });

  async function start(options: Partial<StartOptions> = {}): Promise<LspClient> {
    client = await LspClient.start({ folder, ...options });
    await client.whenAnalyzed();
    return client;
  }

  /** Every diagnostic of a file, not only those of the rules the other LSP tests look at. */
  const allDiagnostics = (uri: string): Diagnostic[] => client!.diagnostics.get(uri) ?? [];

  function waitForAll(uri: string, match: (diagnostics: Diagnostic[]) => boolean, what: string, timeoutMs?: number): Promise<Diagnostic[]> {
    return client!.waitFor(
      () => (match(allDiagnostics(uri)) ? allDiagnostics(uri) : undefined),
      timeoutMs,
      () => `${what} (latest for ${path.basename(uri)}: ${JSON.stringify(allDiagnostics(uri).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character} ${d.message}`))})`,
    );
  }

  /** Writes the policy and tells the server as an editor's file watcher would; resolves once it is idle again. */
  async function savePolicy(text: string): Promise<void> {
    const from = client!.mark();
    writeFile(folder, policyName, text);
    await client!.watchedFilesChanged([{ uri: policy, type: FileChangeType.Changed }]);
    await client!.waitForEvent("status", from, (event) => event.status.state === "idle", "idle after the policy was saved");
  }

  function finding(uri: string, code: string): Diagnostic {
    const found = allDiagnostics(uri).find((diagnostic) => diagnostic.code === code);
    assert.ok(found, `no ${code} in ${path.basename(uri)}: ${JSON.stringify(allDiagnostics(uri).map((d) => d.code))}`);
    return found;
  }

  function codeActions(uri: string, diagnostic: Diagnostic, on: LspClient = client!): Promise<CodeAction[]> {
    return on.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as Promise<CodeAction[]>;
  }

  const showMessages = () => client!.of("showMessage");

  describe("the policy file in the editor", () => {
    it("diagnoses the open buffer as it is typed, and clears the diagnostic once fixed", async () => {
      await start();
      await client!.open(policy, policyText, "yaml");
      // "protected:" misspelled on line 4 (0-based 3).
      let from = client!.mark();
      await client!.change(policy, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } }, text: "protectd" }]);
      const [problem] = await client!.waitForEvent("publish", from, (event) => event.uri === policy && event.diagnostics.length > 0, "the policy's diagnostic").then(({ event }) => event.diagnostics);
      assert.equal(problem.code, "policy-unknown-key");
      assert.equal(problem.severity, DiagnosticSeverity.Error);
      assert.equal(problem.source, "selfheal");
      assert.deepEqual(problem.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 8 } });
      assert.match(problem.message, /did you mean .*protected/i);

      // The unsaved buffer does not govern: the saved policy still protects the billing code.
      const [denied] = await codeActions(charge, finding(charge, "no-explicit-any"));
      assert.ok(denied?.disabled, `the saved policy should still deny: ${JSON.stringify(denied)}`);

      from = client!.mark();
      await client!.change(policy, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 8 } }, text: "protected" }]);
      const { event } = await client!.waitForEvent("publish", from, (event) => event.uri === policy, "the policy's diagnostics after the fix");
      assert.deepEqual(event.diagnostics, []);
    });

    it("shows the key's description on hover, and nothing outside policy files", async () => {
      await start();
      await client!.open(policy, policyText, "yaml");
      const hover = await client!.connection.sendRequest(HoverRequest.type, { textDocument: { uri: policy }, position: { line: 3, character: 4 } });
      assert.ok(hover, "no hover on `protected`");
      const contents = hover.contents as MarkupContent;
      assert.equal(contents.kind, "markdown");
      assert.match(contents.value, /^\*\*protected\*\*\n\nPaths where automation is restricted/, contents.value);
      assert.deepEqual(hover.range?.start, { line: 3, character: 0 });

      await client!.open(main, files["src/main.ts"]);
      assert.equal(await client!.connection.sendRequest(HoverRequest.type, { textDocument: { uri: main }, position: { line: 3, character: 20 } }), null);
    });
  });

  describe("saving the policy", () => {
    it("turns a rule off and changes a severity without restarting anything", async () => {
      await start();
      assert.equal(finding(main, "no-explicit-any").severity, DiagnosticSeverity.Warning);
      assert.equal(finding(main, "floating-promise").severity, DiagnosticSeverity.Error, "the policy makes floating-promise an error");

      const savedAt = Date.now();
      await savePolicy(policyText.replace("rules:\n", "rules:\n  no-explicit-any: { severity: off }\n"));
      await waitForAll(main, (diagnostics) => !diagnostics.some((d) => d.code === "no-explicit-any") && diagnostics.some((d) => d.code === "floating-promise"), "no-explicit-any gone", 5000);
      assert.ok(Date.now() - savedAt < 5000);
      assert.deepEqual(
        allDiagnostics(charge).filter((d) => d.code === "no-explicit-any"),
        [],
        "off applies to every file the policy governs",
      );

      await savePolicy(policyText.replace("rules:\n", "rules:\n  no-explicit-any: { severity: error }\n"));
      const diagnostics = await waitForAll(main, (diagnostics) => diagnostics.some((d) => d.code === "no-explicit-any" && d.severity === DiagnosticSeverity.Error), "no-explicit-any as an error", 5000);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.severity]),
        [
          ["floating-promise", DiagnosticSeverity.Error],
          ["no-explicit-any", DiagnosticSeverity.Error],
        ],
      );
    });

    it("takes a .selfheal folder's event for its policy: watchers report a deleted folder, and may miss a file written right after its folder", async () => {
      removeWorkspace(path.join(folder, ".selfheal"));
      await start();
      assert.equal(finding(main, "floating-promise").severity, DiagnosticSeverity.Error, "floating-promise is an error by default too");
      assert.ok(allDiagnostics(main).some((d) => d.code === "no-explicit-any"));
      const selfhealFolder = uriOf(folder, ".selfheal");

      // What VS Code sent in the real-editor suite for a policy written into a new folder: the folder alone.
      let from = client!.mark();
      writeFile(folder, policyName, policyText.replace("rules:\n", "rules:\n  no-explicit-any: { severity: off }\n"));
      await client!.watchedFilesChanged([{ uri: selfhealFolder, type: FileChangeType.Created }]);
      await client!.waitForEvent("status", from, (event) => event.status.state === "idle" && event.status.policy.state === "valid", "the new policy loaded");
      await waitForAll(main, (diagnostics) => !diagnostics.some((d) => d.code === "no-explicit-any"), "no-explicit-any off by the new policy");

      from = client!.mark();
      removeWorkspace(path.join(folder, ".selfheal"));
      await client!.watchedFilesChanged([{ uri: selfhealFolder, type: FileChangeType.Deleted }]);
      await client!.waitForEvent("status", from, (event) => event.status.state === "idle" && event.status.policy.state === "none", "the policy gone");
      await waitForAll(main, (diagnostics) => diagnostics.some((d) => d.code === "no-explicit-any"), "no-explicit-any back");
    });

    it("is seen on didSave by a client that cannot watch files", async () => {
      const capabilities = { ...editorCapabilities, workspace: { ...editorCapabilities.workspace, didChangeWatchedFiles: { dynamicRegistration: false } } };
      await start({ capabilities });
      assert.ok(client!.initializeResult?.capabilities.textDocumentSync && typeof client!.initializeResult.capabilities.textDocumentSync === "object");
      assert.deepEqual(client!.initializeResult.capabilities.textDocumentSync.save, { includeText: false });
      await client!.open(policy, policyText, "yaml");
      const edited = policyText.replace("rules:\n", "rules:\n  no-explicit-any: { severity: off }\n");
      await client!.replaceText(policy, edited);
      writeFile(folder, policyName, edited);
      await client!.saved(policy);
      await waitForAll(main, (diagnostics) => !diagnostics.some((d) => d.code === "no-explicit-any"), "no-explicit-any gone after didSave");
    });
  });

  describe("quick fixes under the policy", () => {
    it("lists a protected path's fix disabled, with the reason and the policy line, and nothing to run", async () => {
      await start();
      const actions = await codeActions(charge, finding(charge, "no-explicit-any"));
      assert.equal(actions.length, 1, JSON.stringify(actions));
      const [action] = actions;
      assert.equal(action.title, titled("denied"), "the fix's own title, with the decision");
      assert.equal(action.edit, undefined, "a client that ignores `disabled` must have nothing to apply");
      assert.equal(action.command, undefined, "nor anything to run");
      assert.ok(action.disabled, JSON.stringify(action));
      assert.equal(action.disabled.reason, 'src/billing/charge.ts is protected by "src/billing/**": PCI scope: human changes only (.selfheal/policy.yaml:5)');

      // Outside the protected path the same fix applies as usual.
      const [free] = await codeActions(main, finding(main, "no-explicit-any"));
      assert.equal(free.title, titled("review"));
      assert.equal(free.disabled, undefined);
      assert.equal(free.command?.command, "selfheal.applyFix", JSON.stringify(free));
    });

    it("offers nothing for a rule whose autofix is off", async () => {
      await start();
      assert.deepEqual(await codeActions(main, finding(main, "floating-promise")), []);
    });

    it("leaves a denied fix out for a client that cannot show disabled actions", async () => {
      const { disabledSupport: _, ...codeAction } = editorCapabilities.textDocument!.codeAction!;
      await start({ capabilities: { ...editorCapabilities, textDocument: { ...editorCapabilities.textDocument, codeAction } } });
      assert.deepEqual(await codeActions(charge, finding(charge, "no-explicit-any")), []);
      assert.equal((await codeActions(main, finding(main, "no-explicit-any"))).length, 1, "the allowed fix is still there");
    });
  });

  describe("a broken policy", () => {
    it("fails closed: fixes are disabled naming the broken line, findings stay, and the status says so", async () => {
      await start();
      assert.deepEqual(client!.statuses.at(-1)?.policy, { state: "valid", file: path.join(folder, policyName) });

      // A good policy that makes no-explicit-any an error (its default is warning)…
      const strict = policyText.replace("rules:\n", "rules:\n  no-explicit-any: { severity: error }\n");
      await savePolicy(strict);
      await waitForAll(main, (diagnostics) => diagnostics.some((d) => d.code === "no-explicit-any" && d.severity === DiagnosticSeverity.Error), "no-explicit-any as an error");
      // …then line 4 gets a severity that does not exist.
      await savePolicy(strict.replace("severity: error, autofix: off", "severity: loud, autofix: off"));
      const status = client!.statuses.at(-1)!;
      assert.equal(status.policy.state, "broken");
      assert.equal(status.policy.file, path.join(folder, policyName));
      assert.equal(status.policy.line, 4);
      assert.match(status.policy.message ?? "", /loud/);
      const [problem] = await waitForAll(policy, (diagnostics) => diagnostics.length > 0, "the saved policy's diagnostic");
      assert.equal(problem.code, "policy-invalid-value");
      assert.equal(problem.range.start.line, 3);

      // Analysis goes on under the last good policy, not the defaults.
      assert.equal(finding(main, "no-explicit-any").severity, DiagnosticSeverity.Error);
      const [action] = await codeActions(main, finding(main, "no-explicit-any"));
      assert.equal(action?.title, titled("denied"));
      assert.equal(action.edit, undefined);
      assert.equal(action.command, undefined);
      assert.match(action.disabled?.reason ?? "", /^the policy \.selfheal\/policy\.yaml:4 is broken \(.*loud.*\): no automated change is allowed until it is fixed \(\.selfheal\/policy\.yaml:4\)$/);

      const serverStatus: ServerStatus = await client!.connection.sendRequest(serverStatusRequest);
      assert.deepEqual(
        serverStatus.policies.map((entry) => [entry.file, entry.state]),
        [[path.join(folder, policyName), "broken"]],
      );

      await savePolicy(policyText);
      assert.equal(client!.statuses.at(-1)?.policy.state, "valid");
      await waitForAll(policy, (diagnostics) => diagnostics.length === 0, "the policy's diagnostics cleared");
      const [fixed] = await codeActions(main, finding(main, "no-explicit-any"));
      assert.equal(fixed.disabled, undefined);
      assert.ok(fixed.command);
    });

    it("says there is none when the workspace has no policy", async () => {
      removeWorkspace(path.join(folder, ".selfheal"));
      await start();
      assert.deepEqual(client!.statuses.at(-1)?.policy, { state: "none" });
    });
  });

  describe("verify.command and workspace trust", () => {
    const withCommand = policyWith('verify: { typecheck: true, command: "npm test" }'); // line 8
    const expected =
      'Not running verify.command "npm test" from .selfheal/policy.yaml:8: this workspace is not trusted. Fixes are verified by type-checking only; trust the workspace to run it.';

    it("tells an untrusted workspace once that the command will not run", async () => {
      writeFile(folder, policyName, withCommand);
      await start();
      assert.deepEqual(
        showMessages().map((event) => [event.type, event.message]),
        [[MessageType.Warning, expected]],
      );
      assert.ok(client!.of("log").some((event) => event.message === expected), "the same line goes to the log");

      // Saving again (same command) and a full re-analysis do not repeat it.
      await savePolicy(withCommand.replace("version: 1", "version: 1\n"));
      assert.equal(showMessages().length, 1);
    });

    it("says nothing in a trusted workspace, nor once trust is granted", async () => {
      writeFile(folder, policyName, withCommand);
      await start({ initializationOptions: { workspaceTrusted: true } });
      assert.deepEqual(showMessages(), []);
      await client!.dispose();

      await start();
      assert.equal(showMessages().length, 1, "untrusted at start");
      await client!.connection.sendNotification(workspaceTrustedNotification);
      await savePolicy(withCommand.replace('"npm test"', '"npm run check"'));
      assert.equal(showMessages().length, 1, "a new command in a trusted workspace is not announced");
      const status: ServerStatus = await client!.connection.sendRequest(serverStatusRequest);
      assert.equal(status.workspaceTrusted, true);
    });
  });
});
