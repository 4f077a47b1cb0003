import * as assert from "node:assert/strict";
import { main } from "../../../server/src/cli/main";

describe("cli: main", () => {
  it("turns a failure of the tool itself into exit 3 with the stack on stderr", async () => {
    // The output sink is the one thing the CLI cannot do without; a sink that fails is a real internal error.
    let stderr = "";
    const code = await main(["--version"], {
      stdout: () => {
        throw new Error("EIO: the terminal went away");
      },
      stderr: (text) => (stderr += text),
      isTty: false,
      version: "1.2.3",
    });
    assert.equal(code, 3);
    assert.match(stderr, /^selfheal: internal error: Error: EIO: the terminal went away\n {4}at /);
  });

  it("keeps usage errors (2) apart from internal errors (3)", async () => {
    let stderr = "";
    const code = await main(["check", "--bogus"], { stdout: () => {}, stderr: (text) => (stderr += text), isTty: false, version: "1.2.3" });
    assert.equal(code, 2);
    assert.match(stderr, /^selfheal: unknown option --bogus\n/);
  });
});
