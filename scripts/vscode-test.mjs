// `npm run test:vscode`: the integration suite (test/vscode) inside a real VS Code.
//
// @vscode/test-electron cannot download VS Code on our machines, so this runs code-server
// (VS Code 1.100.3 served to a browser; newer releases need Node 22) and drives Debian's
// Chromium with playwright-core. Nothing is downloaded but npm packages and Debian packages.
//
// First use sets up what is missing (Chromium and build tools through apt-get when root,
// code-server into .cache/code-server); later runs reuse it. Anything that cannot be set up
// fails the run with a message: a suite that did not run must never look like one that passed.
//
// The extension is loaded from a VSIX packaged by `vsce package` and installed with
// `--install-extension`, so the suite also proves the package (its .vscodeignore whitelist,
// the manifest) works. SELFHEAL_VSCODE_FROM=folder loads the repo folder instead
// (extensionDevelopmentPath), which skips packaging when iterating on tests.
//
// Mocha's output goes to stdout ("N passing" / "N failing"); artifacts (a screenshot of the
// workbench at the end, the full log, code-server's log, the VSIX) go to test-artifacts/vscode/.
//
// Environment: SELFHEAL_VSCODE_TIMEOUT_MS (default 360000) bounds the suite run, from opening
// the workbench until mocha reports its exit; SELFHEAL_VSCODE_KEEP=1 keeps the scratch folder
// (the extension host's logs are under its user-data/logs); SELFHEAL_VSCODE_TRACE=1 traces the
// LSP traffic into the extension's log; SELFHEAL_VSCODE_GREP=pattern runs the matching tests only.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const codeServerVersion = "4.100.3";
const cacheDir = path.join(root, ".cache/code-server");
const codeServerEntry = path.join(cacheDir, "node_modules/code-server/out/node/entry.js");
const installedMarker = path.join(cacheDir, `.installed-${codeServerVersion}`);
const chromiumPath = "/usr/bin/chromium";
const artifacts = path.join(root, "test-artifacts/vscode");
const suiteTimeoutMs = Number(process.env.SELFHEAL_VSCODE_TIMEOUT_MS ?? 360_000);
const fromFolder = process.env.SELFHEAL_VSCODE_FROM === "folder";
const extensionId = "selfheal.self-healing-code";

class SetupError extends Error {}

const log = (message) => console.log(`vscode-test: ${message}`);
const exists = (file) => fs.existsSync(file);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw new SetupError(`${command} ${args.join(" ")} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

// ── system packages ──────────────────────────────────────────────────────────────────────

function ensureSystemPackages() {
  const needCodeServerInstall = !isCodeServerInstalled();
  const missing = [];
  if (!exists(chromiumPath)) missing.push("chromium");
  // Only code-server's install needs these: ripgrep seeds @vscode/ripgrep, krb5 headers build `kerberos`.
  if (needCodeServerInstall && !exists("/usr/bin/rg")) missing.push("ripgrep");
  if (needCodeServerInstall && !exists("/usr/include/krb5.h")) missing.push("libkrb5-dev");
  if (missing.length === 0) return;

  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new SetupError(`missing ${missing.join(", ")} and not running as root; install them with: sudo apt-get install -y chromium libkrb5-dev ripgrep`);
  }
  log(`installing ${missing.join(", ")} with apt-get (first use)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (run("apt-get", ["update"], { env }) !== 0 || run("apt-get", ["install", "-y", "chromium", "libkrb5-dev", "ripgrep"], { env }) !== 0) {
    throw new SetupError("apt-get could not install chromium, libkrb5-dev and ripgrep (see its output above)");
  }
  if (!exists(chromiumPath)) throw new SetupError(`apt-get succeeded but ${chromiumPath} is still missing`);
}

// ── code-server ──────────────────────────────────────────────────────────────────────────

function isCodeServerInstalled() {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(cacheDir, "node_modules/code-server/package.json"), "utf8"));
    return manifest.version === codeServerVersion && exists(installedMarker) && exists(codeServerEntry);
  } catch {
    return false;
  }
}

function ensureCodeServer() {
  if (isCodeServerInstalled()) return;
  log(`installing code-server ${codeServerVersion} into ${path.relative(root, cacheDir)} (first use, about 2 minutes)`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(path.join(cacheDir, "package.json"), JSON.stringify({ name: "code-server-cache", private: true }, null, 2));

  // @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here; it
  // takes the archive from its cache in TMPDIR first, so we seed that with Debian's rg.
  const seedTmp = fs.mkdtempSync(path.join(os.tmpdir(), "code-server-install-"));
  const target = process.arch === "arm64" ? "aarch64-unknown-linux-musl" : "x86_64-unknown-linux-musl";
  const ripgrepCache = path.join(seedTmp, "vscode-ripgrep-cache-1.15.11");
  fs.mkdirSync(ripgrepCache, { recursive: true });
  if (run("tar", ["-czf", path.join(ripgrepCache, `ripgrep-v13.0.0-10-${target}.tar.gz`), "-C", "/usr/bin", "rg"]) !== 0) {
    throw new SetupError("could not pack /usr/bin/rg into the ripgrep cache");
  }

  fs.mkdirSync(artifacts, { recursive: true });
  const installLog = path.join(artifacts, "code-server-install.log");
  const logFd = fs.openSync(installLog, "w");
  const env = {
    ...process.env,
    TMPDIR: seedTmp,
    npm_config_unsafe_perm: "true", // code-server's postinstall refuses to run as root otherwise
    npm_config_yes: "true", // node-pty's postinstall runs `npx node-gyp`, which would wait for a prompt
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
  const status = run("npm", ["install", `code-server@${codeServerVersion}`, "--foreground-scripts"], { cwd: cacheDir, env, stdio: ["ignore", logFd, logFd] });
  fs.closeSync(logFd);
  fs.rmSync(seedTmp, { recursive: true, force: true });

  const rg = path.join(cacheDir, "node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg");
  if (status !== 0 || !exists(codeServerEntry)) {
    const tail = fs.readFileSync(installLog, "utf8").split("\n").slice(-40).join("\n");
    throw new SetupError(`npm install code-server@${codeServerVersion} failed (exit ${status}); last lines of ${path.relative(root, installLog)}:\n${tail}`);
  }
  if (!exists(rg)) throw new SetupError(`code-server installed without ripgrep (${rg} missing); see ${path.relative(root, installLog)}`);
  fs.writeFileSync(installedMarker, `${new Date().toISOString()}\n`);
  log(`code-server ${codeServerVersion} installed`);
}

// ── build ────────────────────────────────────────────────────────────────────────────────

const mtime = (file) => (exists(file) ? fs.statSync(file).mtimeMs : -1);

function tsFiles(folder) {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** esbuild rewrites its bundles on every build: older than any source means stale. */
function bundlesStale() {
  const newestSource = Math.max(...["client/src", "server/src"].flatMap((folder) => tsFiles(path.join(root, folder))).map(mtime));
  return ["dist/extension.js", "dist/selfheal.js"].some((file) => mtime(path.join(root, file)) < newestSource);
}

/** tsc -b only rewrites what changed, so each test file is compared with its own output. */
function staleTestOutputs({ missingOnly = false } = {}) {
  const sources = path.join(root, "test/vscode");
  const output = (file) => path.join(root, "out/test/vscode", path.relative(sources, file).replace(/\.ts$/, ".js"));
  return tsFiles(sources).filter((file) => (missingOnly ? !exists(output(file)) : mtime(output(file)) < mtime(file)));
}

function ensureBuilt() {
  // Missing or stale outputs are rebuilt, so a standalone run never tests yesterday's code.
  if (bundlesStale()) {
    log("building dist/ (npm run build)");
    if (run("npm", ["run", "-s", "build"]) !== 0) throw new SetupError("npm run build failed");
  }
  if (staleTestOutputs().length > 0) {
    log("compiling the tests (npx tsc -b)");
    // Other suites share the test project: their type errors must not stop this suite, so a
    // failed type-check only stops us when our own outputs did not appear.
    if (run("npx", ["tsc", "-b"]) !== 0) log("warning: npx tsc -b reported errors (see above)");
    // tsc -b may judge a touched but unchanged file up to date and leave its output alone (fine),
    // and does not notice a deleted output at all: --force rewrites them.
    if (staleTestOutputs({ missingOnly: true }).length > 0) {
      log("outputs are missing, compiling again (npx tsc -b --force test)");
      run("npx", ["tsc", "-b", "--force", "test"]);
    }
    const stale = staleTestOutputs({ missingOnly: true });
    if (stale.length > 0) throw new SetupError(`npx tsc -b did not compile ${stale.map((file) => path.relative(root, file)).join(", ")}`);
  }
  const suite = path.join(root, "out/test/vscode/suite");
  if (!exists(suite) || !fs.readdirSync(suite).some((name) => name.endsWith(".test.js"))) throw new SetupError("no compiled tests in out/test/vscode/suite");
}

function packageVsix(scratch) {
  const vsix = path.join(scratch, "self-healing-code.vsix");
  log("packaging the extension (vsce package --no-dependencies)");
  // The same flags as `npm run package`, without its production build: we test the dist/ at hand.
  const status = run(process.execPath, [path.join(root, "node_modules/@vscode/vsce/vsce"), "package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", "--out", vsix], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (status !== 0 || !exists(vsix)) throw new SetupError("vsce package failed (see above)");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.copyFileSync(vsix, path.join(artifacts, "self-healing-code.vsix"));
  log(`packaged ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);
  return vsix;
}

// ── the run ──────────────────────────────────────────────────────────────────────────────

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new SetupError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** code-server spawns extension hosts, language servers and watchers that outlive it: end its whole group. */
async function killGroup(pid) {
  if (!pid || !groupAlive(pid)) return;
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + 5000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
}

function writeScratchSettings(userDataDir) {
  fs.mkdirSync(path.join(userDataDir, "User"), { recursive: true });
  const settings = {
    "workbench.startupEditor": "none",
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "security.workspace.trust.enabled": false,
    "workbench.tips.enabled": false,
    // VS Code in a browser saves after a delay by default, desktop VS Code does not: tests edit
    // buffers and revert them, and a save in between would change the example on disk.
    "files.autoSave": "off",
    ...(process.env.SELFHEAL_VSCODE_TRACE === "1" ? { "selfheal.trace.server": "verbose" } : {}),
  };
  fs.writeFileSync(path.join(userDataDir, "User/settings.json"), JSON.stringify(settings, null, 2));
}

/** With the extension installed from the VSIX, the test runner still needs a development extension to hang on. */
function writeHarnessExtension(folder) {
  fs.mkdirSync(folder, { recursive: true });
  const manifest = { name: "selfheal-vscode-tests", publisher: "selfheal-tests", version: "0.0.0", engines: { vscode: "^1.100.0" } };
  fs.writeFileSync(path.join(folder, "package.json"), JSON.stringify(manifest, null, 2));
}

const cleanups = [];
async function cleanUp() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`vscode-test: cleanup: ${error.message}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    console.error(`vscode-test: ${signal}, cleaning up`);
    await cleanUp();
    process.exit(130);
  });
}

async function runSuite() {
  ensureSystemPackages();
  ensureCodeServer();
  ensureBuilt();
  const { chromium } = await import("playwright-core");

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "selfheal-vscode-"));
  if (process.env.SELFHEAL_VSCODE_KEEP !== "1") cleanups.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const dirs = Object.fromEntries(["workspace", "extensions", "user-data", "xdg-config", "xdg-data", "chromium-profile", "harness"].map((name) => [name, path.join(scratch, name)]));
  // The tests edit files: each run gets its own copy of the example.
  fs.cpSync(path.join(root, "examples/demo-service"), dirs.workspace, { recursive: true });
  writeScratchSettings(dirs["user-data"]);
  fs.mkdirSync(artifacts, { recursive: true });

  // The extension host inherits code-server's environment: test/vscode/index.ts waits for this
  // file before it ends, so the screenshot shows the workbench with the extension still running.
  const screenshotTaken = path.join(scratch, "screenshot-taken");
  const env = { ...process.env, XDG_CONFIG_HOME: dirs["xdg-config"], XDG_DATA_HOME: dirs["xdg-data"], SELFHEAL_VSCODE_SCREENSHOT: screenshotTaken };
  const codeServerArgs = [codeServerEntry, "--extensions-dir", dirs.extensions, "--user-data-dir", dirs["user-data"]];

  let developmentPath = root;
  if (!fromFolder) {
    const vsix = packageVsix(scratch);
    const status = run(process.execPath, [...codeServerArgs, "--install-extension", vsix], { env, stdio: ["ignore", "ignore", "inherit"] });
    const installed = fs.readdirSync(dirs.extensions).filter((name) => name.startsWith(`${extensionId}-`));
    if (status !== 0 || installed.length === 0) throw new SetupError(`code-server --install-extension failed (exit ${status})`);
    log(`installed ${installed[0]} from the VSIX`);
    writeHarnessExtension(dirs.harness);
    developmentPath = dirs.harness;
  } else {
    log("loading the extension from the repo folder (SELFHEAL_VSCODE_FROM=folder)");
  }

  const port = await freePort();
  const serverLog = fs.openSync(path.join(artifacts, "code-server.log"), "w");
  const codeServer = spawn(
    process.execPath,
    [...codeServerArgs, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override"],
    { env, detached: true, stdio: ["ignore", serverLog, serverLog] }, // detached: its own process group
  );
  cleanups.push(() => killGroup(codeServer.pid));
  let codeServerExited;
  const codeServerExit = new Promise((resolve) => codeServer.once("exit", (code, signal) => resolve((codeServerExited = `code-server exited (code ${code}, signal ${signal})`))));
  await waitUntil(
    "code-server's /healthz",
    async () => {
      if (codeServerExited) throw new SetupError(`${codeServerExited} before it was ready; see test-artifacts/vscode/code-server.log`);
      return fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
    },
    60_000,
  );
  log(`code-server ${codeServerVersion} is listening on 127.0.0.1:${port}`);

  const context = await chromium.launchPersistentContext(dirs["chromium-profile"], {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());

  const transcript = [];
  const screenshotPath = path.join(artifacts, "workbench.png");
  let screenshot;
  const takeScreenshot = () =>
    (screenshot ??= page.screenshot({ path: screenshotPath }).then(
      () => fs.writeFileSync(screenshotTaken, ""),
      (error) => log(`screenshot failed: ${error.message}`),
    ));
  let suiteStarted = false;
  let resolveExit;
  const suiteExit = new Promise((resolve) => (resolveExit = resolve));
  // Every console call of the workbench and of the extension host arrives here, one per line.
  await page.exposeFunction("codeAutomationLog", (type, args) => {
    // Mocha calls console.log with printf-style arguments ("%d passing (%s)", 8, "8s").
    const line = format(...(Array.isArray(args) ? args : [args]));
    transcript.push(`[${type}] ${line}`);
    // The workbench's start-up chatter stays in output.log; stdout starts with our runner's banner.
    suiteStarted ||= line.startsWith("selfheal integration suite in VS Code");
    if (!suiteStarted) return;
    if (type === "error") console.error(line);
    else console.log(line);
    if (line === "selfheal integration suite: ready for the screenshot") {
      // test/vscode/index.ts has opened a file and the Problems panel: wait for the list to fill.
      void page
        .waitForSelector(".markers-panel .monaco-list-row", { timeout: 10_000 })
        .catch(() => undefined)
        .then(takeScreenshot);
    }
  });
  await page.exposeFunction("codeAutomationExit", async (code) => {
    await takeScreenshot();
    resolveExit(Number(code));
  });
  page.on("crash", () => resolveExit("the page crashed"));

  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload = [
    ["extensionDevelopmentPath", remote(developmentPath)],
    // Always the repo's copy: the VSIX ships no node_modules, and the runner needs mocha.
    ["extensionTestsPath", remote(path.join(root, "out/test/vscode/index.js"))],
  ];
  const url = `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: dirs.workspace, payload: JSON.stringify(payload) })}`;
  const started = Date.now();
  await page.goto(url);

  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(`timed out after ${suiteTimeoutMs / 1000} s`), suiteTimeoutMs)));
  const outcome = await Promise.race([suiteExit, timeout, codeServerExit]);
  clearTimeout(timer);
  fs.writeFileSync(path.join(artifacts, "output.log"), transcript.join("\n") + "\n");
  if (typeof outcome !== "number") {
    await takeScreenshot();
    if (!suiteStarted) console.error(transcript.join("\n"));
    throw new SetupError(`the suite did not finish: ${outcome}; see test-artifacts/vscode/ (workbench.png, output.log, code-server.log)`);
  }
  log(`the suite ended with exit code ${outcome} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // A run without mocha's summary did not run the tests, whatever the exit code says.
  if (!transcript.some((line) => /\d+ passing/.test(line))) throw new SetupError("mocha's 'N passing' line never arrived; see test-artifacts/vscode/output.log");
  return outcome === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await runSuite();
} catch (error) {
  const message = error instanceof SetupError ? error.message : (error?.stack ?? String(error));
  console.error(`\nvscode-test: FAILED: ${message}\n`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
