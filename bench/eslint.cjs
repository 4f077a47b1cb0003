// `node bench/eslint.cjs <corpus> [skip.ts ...]`: the peer of the agreement part. Lints the
// corpus's `src/**/*.ts` (minus the files given, which our engine does not run rules on) with
// ESLint 9 and typescript-eslint, type-aware (`parserOptions.project`: the corpus's tsconfig,
// one program for the whole run, as `npx eslint` infers), through ESLint's Node API. Only the
// rules that correspond to ours are on, with the options that match ours where ESLint has one.
// Prints one JSON line: { eslint, typescriptEslint, typescript, files, messages: [{ rule, file, line, column }], fatal }.
"use strict";
const path = require("node:path");

// What `npx eslint` infers from its command line: one program, no watch hosts. Set before
// typescript-eslint reads it.
process.env.TSESTREE_SINGLE_RUN = "true";
const { ESLint } = require("eslint");
const { builtinRules } = require("eslint/use-at-your-own-risk");
const tseslint = require("typescript-eslint");

const [folder, ...skipped] = process.argv.slice(2);

/** A rule that reports only what `keep(node)` accepts; everything else is the original rule. */
function only(rule, keep) {
  return {
    meta: rule.meta,
    create(context) {
      const filtered = Object.create(context, { report: { value: (descriptor) => keep(descriptor.node) && context.report(descriptor) } });
      return rule.create(filtered);
    },
  };
}

const importSpecifiers = new Set(["ImportSpecifier", "ImportDefaultSpecifier", "ImportNamespaceSpecifier", "TSImportEqualsDeclaration"]);
const benchPlugin = {
  rules: {
    // no-empty, for catch blocks only (empty-catch's scope).
    "no-empty-catch": only(builtinRules.get("no-empty"), (node) => node?.parent?.type === "CatchClause"),
    // no-unused-vars, for imported names only (unused-import's scope).
    "no-unused-imports": only(tseslint.plugin.rules["no-unused-vars"], (node) => importSpecifiers.has(node?.parent?.type)),
  },
};

/** Report names as they appear in the tables: the rule each one stands for. */
const ruleNames = { "bench/no-empty-catch": "no-empty", "bench/no-unused-imports": "@typescript-eslint/no-unused-vars" };

async function main() {
  const eslint = new ESLint({
    cwd: folder,
    overrideConfigFile: true, // no eslint.config.* lookup: only the configuration below
    overrideConfig: [
      { ignores: skipped },
      {
        files: ["**/*.ts"],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { project: path.join(folder, "tsconfig.json"), tsconfigRootDir: folder },
        },
        // The corpora carry a few `eslint-disable` comments; our engine does not read them, so
        // neither does ESLint here: the comparison is between the rules.
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
        plugins: { "@typescript-eslint": tseslint.plugin, bench: benchPlugin },
        rules: {
          // `...args: any[]` is not reported by ours either (its documented carve-out).
          "@typescript-eslint/no-explicit-any": ["error", { ignoreRestArgs: true }],
          "@typescript-eslint/no-floating-promises": "error",
          "bench/no-empty-catch": "error",
          // `x == null` is allowed by ours.
          eqeqeq: ["error", "always", { null: "ignore" }],
          "no-var": "error",
          "prefer-const": "error",
          "no-console": "error",
          "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": true, "ts-expect-error": false, "ts-nocheck": false, "ts-check": false }],
          "bench/no-unused-imports": "error",
          "@typescript-eslint/no-deprecated": "error",
          "@typescript-eslint/no-non-null-assertion": "error",
        },
      },
    ],
  });
  const results = await eslint.lintFiles(["src/**/*.ts"]);
  const messages = [];
  const fatal = [];
  for (const result of results) {
    const file = path.relative(folder, result.filePath).split(path.sep).join("/");
    for (const message of result.messages) {
      if (message.fatal) fatal.push({ file, line: message.line, message: message.message });
      // Without a rule id and not fatal: "'// eslint-disable…' has no effect" (noInlineConfig).
      else if (message.ruleId) messages.push({ rule: ruleNames[message.ruleId] ?? message.ruleId, file, line: message.line, column: message.column });
    }
  }
  const version = (name) => require(`${name}/package.json`).version;
  process.stdout.write(
    JSON.stringify({ eslint: ESLint.version, typescriptEslint: version("typescript-eslint"), typescript: version("typescript"), files: results.length, messages, fatal }) + "\n",
  );
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
