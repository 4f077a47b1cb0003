import * as assert from "node:assert/strict";
import { oneOf, parseArgs, UsageError } from "../../../server/src/cli/args";

const valueFlags = ["format", "fail-on"];
const booleanFlags = ["verbose", "no-type-aware"];
const parse = (argv: string[]) => parseArgs(argv, valueFlags, booleanFlags);

describe("cli: parseArgs", () => {
  it("separates positionals from flags, in any order", () => {
    const { positionals, flags } = parse(["--verbose", "src", "--format", "json", "more"]);
    assert.deepEqual(positionals, ["src", "more"]);
    assert.deepEqual([...flags], [["verbose", true], ["format", "json"]]);
  });

  it("accepts `--flag=value`, keeping any further `=` in the value", () => {
    assert.equal(parse(["--format=json"]).flags.get("format"), "json");
    assert.equal(parse(["--format=a=b"]).flags.get("format"), "a=b");
    assert.equal(parse(["--format="]).flags.get("format"), "");
  });

  it("rejects an unknown option, naming it", () => {
    assert.throws(() => parse(["--frmat", "json"]), (error: unknown) => error instanceof UsageError && error.message === "unknown option --frmat");
  });

  it("rejects a value flag without a value, at the end or followed by another flag", () => {
    assert.throws(() => parse(["--format"]), { message: "--format needs a value" });
    assert.throws(() => parse(["--format", "--verbose"]), { message: "--format needs a value" });
  });

  it("rejects a value given to an on/off flag instead of silently turning it on", () => {
    assert.throws(() => parse(["--verbose=no"]), { message: "--verbose takes no value" });
  });

  it("treats single-dash arguments as positionals: the caller decides what they mean", () => {
    assert.deepEqual(parse(["-", "-x"]).positionals, ["-", "-x"]);
  });

  it("lets the last of repeated flags win", () => {
    assert.equal(parse(["--format", "text", "--format", "json"]).flags.get("format"), "json");
  });
});

describe("cli: oneOf", () => {
  const formats = ["text", "json"] as const;

  it("falls back when the flag is absent and passes an allowed value through", () => {
    assert.equal(oneOf("format", undefined, formats, "text"), "text");
    assert.equal(oneOf("format", "json", formats, "text"), "json");
  });

  it("rejects a value outside the list, listing the allowed ones", () => {
    assert.throws(() => oneOf("format", "xml", formats, "text"), (error: unknown) => error instanceof UsageError && error.message === "--format must be one of: text, json");
  });

  it("rejects a boolean use of a value flag", () => {
    assert.throws(() => oneOf("format", true, formats, "text"), UsageError);
  });
});
