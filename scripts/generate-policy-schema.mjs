// Writes policies/policy.schema.json from the rule registry (run after `npx tsc -b`):
//   node scripts/generate-policy-schema.mjs
// Every $ref is inlined so an ajv error's schemaPath always says where in the file it was raised,
// which is how the loader tells which branch of an anyOf a value was meant for.
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { allRules } = require(path.join(root, "out/server/src/engine/rules/index.js"));

const d = (description, markdownDescription) => (markdownDescription ? { description, markdownDescription } : { description });

const severityDescriptions = [
  "Report findings as errors (red squiggles; `selfheal check` fails by default).",
  "Report findings as warnings.",
  "Report findings as information.",
  "Report findings as hints (faded in the editor, not in the Problems panel).",
  "Do not run the rule.",
];
const autofixDescriptions = [
  "Apply the rule's verified fixes without asking (quick fixes and `selfheal fix`).",
  "Offer the fixes, but a human confirms each in the refactor preview before it lands.",
  "List the fixes disabled, with the reason: automation never applies them.",
  "Do not offer the rule's fixes at all.",
];

const ruleSettingsProperties = (optionsSchema) => ({
  severity: { $ref: "#/definitions/severity" },
  autofix: { $ref: "#/definitions/autofix" },
  paths: {
    $ref: "#/definitions/globList",
    ...d(
      "Globs (relative to the policy's folder) where this entry applies; outside them the rule is off. Omit to apply everywhere the policy is in scope.",
      "Globs (relative to the policy's folder) where this entry applies; **outside them the rule is off**. Omit to apply everywhere the policy is in scope.",
    ),
  },
  options: optionsSchema,
});

const noOptions = {
  type: "object",
  additionalProperties: false,
  properties: {},
  ...d("This rule takes no options."),
};

function ruleSchema(rule) {
  const m = rule.meta;
  const options =
    m.id === "complexity"
      ? {
          type: "object",
          additionalProperties: false,
          ...d("Thresholds above which a function is reported."),
          properties: {
            maxCyclomatic: { type: "integer", minimum: 1, default: 10, ...d("Report functions whose cyclomatic complexity (the number of paths through them) is above this. Default 10.") },
            maxNesting: { type: "integer", minimum: 1, default: 4, ...d("Report functions that nest control flow (if, loops, switch, try) deeper than this. Default 4.") },
          },
        }
      : noOptions;
  const fix = m.fixable ? "Has a verified fix." : "Has no fix (autofix does not matter).";
  return {
    ...d(
      `${m.description} Default severity: ${m.defaultSeverity}. ${fix} Set a severity, or a mapping with severity, autofix, paths and options.`,
      `${m.description}\n\nDefault severity: \`${m.defaultSeverity}\`. ${fix} Set a severity, or a mapping with \`severity\`, \`autofix\`, \`paths\` and \`options\`.`,
    ),
    anyOf: [
      { $ref: "#/definitions/severity" },
      { type: "object", additionalProperties: false, properties: ruleSettingsProperties(options) },
    ],
  };
}

const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Self-Healing Code policy (.selfheal/policy.yaml)",
  ...d(
    "What automated fixes may do where in this folder: which rules run, which fixes apply on their own, which paths only humans change, and how changes are verified and recorded. Every path in the file is relative to the folder that contains .selfheal/.",
  ),
  type: "object",
  additionalProperties: false,
  required: ["version"],
  properties: {
    version: { const: 1, ...d("The policy format's version. Must be 1.", "The policy format's version. Must be `1`.") },
    extends: {
      ...d(
        "Policies this one builds on, applied in order (later wins): 'recommended', 'strict', or a path relative to this policy's folder (./base.yaml, ../../.selfheal/policy.yaml). This file's settings win over all of them; protected paths, exceptions, contracts and layers add up.",
        "Policies this one builds on, applied in order (later wins): `recommended`, `strict`, or a path relative to this policy's folder (`./base.yaml`, `../../.selfheal/policy.yaml`). This file's settings win over all of them; `protected`, `exceptions`, `contracts` and `architecture.layers` add up.",
      ),
      anyOf: [
        { $ref: "#/definitions/extendsItem" },
        { type: "array", minItems: 1, items: { $ref: "#/definitions/extendsItem" } },
      ],
    },
    include: {
      $ref: "#/definitions/globList",
      ...d(
        "Globs of the files this policy covers (default: everything). Files outside are not analyzed, and no automated change may touch them.",
        "Globs of the files this policy covers (default `[\"**\"]`: everything). Files outside are not analyzed, and **no automated change may touch them**.",
      ),
    },
    exclude: {
      $ref: "#/definitions/globList",
      ...d(
        "Globs of files taken out of the policy's scope even if include matches them (generated code, vendored code). They are not analyzed and no automated change may touch them.",
      ),
    },
    rules: {
      type: "object",
      additionalProperties: false,
      ...d(
        "Per rule id: a severity (error, warning, info, hint, off), or a mapping with severity, autofix, paths and options. Rules not listed keep the extended policy's settings, then the user's settings, then their defaults.",
        "Per rule id: a severity (`error`, `warning`, `info`, `hint`, `off`), or a mapping with `severity`, `autofix`, `paths` and `options`. Rules not listed keep the extended policy's settings, then the user's `selfheal.rules` settings, then their defaults.",
      ),
      properties: Object.fromEntries(allRules.map((rule) => [rule.meta.id, ruleSchema(rule)])),
    },
    protected: {
      type: "array",
      ...d(
        "Paths where automation is restricted whatever the rules say: fixes touching them are denied or need review. An extending policy can add protected paths but never remove one.",
      ),
      items: {
        type: "object",
        additionalProperties: false,
        required: ["paths", "reason"],
        ...d("One protected area: its globs, what automation may do there, and why."),
        properties: {
          paths: { $ref: "#/definitions/globList", ...d("Globs of the protected files, relative to the policy's folder.") },
          autofix: {
            type: "string",
            enum: ["deny", "review"],
            default: "deny",
            markdownEnumDescriptions: [autofixDescriptions[2], autofixDescriptions[1]],
            ...d("What automated fixes may do in these paths: deny (the default: never) or review (only after a human confirms the preview).", "What automated fixes may do in these paths: `deny` (the default: never) or `review` (only after a human confirms the preview)."),
          },
          reason: { $ref: "#/definitions/nonEmptyText", ...d("Why these paths are protected. Shown with every fix it denies or holds for review.") },
          owner: { $ref: "#/definitions/nonEmptyText", ...d("Who to ask about changes here (a team or a person, e.g. @payments). Shown with the reason.") },
        },
      },
    },
    exceptions: {
      type: "array",
      ...d(
        "Accepted findings: a rule's findings in these paths are not reported until the exception expires. Every exception needs a reason, an owner and an expiry date, so debt is tracked instead of hidden.",
      ),
      items: {
        type: "object",
        additionalProperties: false,
        required: ["paths", "rule", "reason", "owner", "expires"],
        ...d("One accepted debt: which rule, where, why, who owns it and until when."),
        properties: {
          paths: { $ref: "#/definitions/globList", ...d("Globs of the files where the rule's findings are accepted.") },
          rule: { type: "string", enum: allRules.map((rule) => rule.meta.id), ...d("The id of the rule whose findings are accepted.") },
          reason: { $ref: "#/definitions/nonEmptyText", ...d("Why the findings are accepted for now (a ticket, a migration plan).") },
          owner: { $ref: "#/definitions/nonEmptyText", ...d("Who is responsible for removing the debt (a team or a person, e.g. @alice).") },
          expires: {
            type: "string",
            pattern: "^\\d{4}-\\d{2}-\\d{2}$",
            ...d(
              "The last day (YYYY-MM-DD, UTC) the exception holds. After it the findings are reported again and the policy warns that the exception expired.",
              "The last day (`YYYY-MM-DD`, UTC) the exception holds. After it the findings are reported again and the policy warns that the exception expired.",
            ),
          },
        },
      },
    },
    limits: {
      type: "object",
      additionalProperties: false,
      ...d("The largest change automation may make on its own; a bigger change is denied, so large refactors stay with humans."),
      properties: {
        maxFilesPerChange: { type: "integer", minimum: 1, ...d("The most files one automated change may edit.") },
        maxLinesPerChange: { type: "integer", minimum: 1, ...d("The most lines (added plus removed, over all files) one automated change may touch.") },
      },
    },
    verify: {
      type: "object",
      additionalProperties: false,
      ...d("How a change is proven safe before it lands."),
      properties: {
        typecheck: { type: "boolean", default: true, ...d("Type-check the affected files with the change applied in memory; a change that adds a type error is rejected. Default true.") },
        command: {
          type: "string",
          minLength: 1,
          ...d(
            "A shell command run in the workspace folder after the change is applied (e.g. npm test); a non-zero exit rolls the change back. Runs only in a trusted workspace.",
            "A shell command run in the workspace folder after the change is applied (e.g. `npm test`); a non-zero exit rolls the change back. **Runs only in a trusted workspace.**",
          ),
        },
        timeoutSeconds: { type: "integer", minimum: 1, maximum: 3600, default: 120, ...d("How long the command may run before it counts as failed (1 to 3600 seconds). Default 120.") },
      },
    },
    ledger: {
      type: "object",
      additionalProperties: false,
      ...d("Where the provenance ledger (one hash-chained JSON line per applied change) is kept."),
      properties: {
        path: {
          $ref: "#/definitions/relativePath",
          ...d(
            "The ledger file, relative to the policy's folder; it must stay inside the workspace folder. Default .selfheal/ledger.jsonl.",
            "The ledger file, relative to the policy's folder; it must stay inside the workspace folder. Default `.selfheal/ledger.jsonl`.",
          ),
        },
      },
    },
    contracts: {
      type: "array",
      ...d("Named surfaces whose drift is checked against a committed baseline: the exported API of an entry module, or a JSON Schema file."),
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        ...d("One contract: a name and exactly one of entry (a module's exported API) or schema (a JSON Schema file)."),
        properties: {
          name: {
            type: "string",
            pattern: "^[a-z0-9]+(-[a-z0-9]+)*$",
            ...d("The contract's unique name in kebab-case (e.g. public-api); names its baseline file and its findings."),
          },
          entry: { $ref: "#/definitions/relativePath", ...d("The module whose exports form the contract (e.g. src/index.ts), relative to the policy's folder.") },
          schema: { $ref: "#/definitions/relativePath", ...d("The JSON Schema file that is the contract (e.g. schemas/user.schema.json), relative to the policy's folder.") },
          breaking: {
            $ref: "#/definitions/severity",
            ...d("The severity of a breaking change against the baseline (error, warning, info, hint, or off to ignore breaks). Default error."),
          },
          baseline: {
            $ref: "#/definitions/relativePath",
            ...d("Where the accepted baseline is stored, relative to the policy's folder. Default .selfheal/contracts/<name>.json.", "Where the accepted baseline is stored, relative to the policy's folder. Default `.selfheal/contracts/<name>.json`."),
          },
          mirrors: {
            type: "array",
            ...d("TypeScript types that must stay in step with JSON Schema files: drift between the two is reported."),
            items: {
              type: "object",
              additionalProperties: false,
              required: ["type", "schema"],
              ...d("A type and the schema it mirrors."),
              properties: {
                type: {
                  type: "string",
                  pattern: "^[^#]+#[A-Za-z_$][A-Za-z0-9_$]*$",
                  ...d("The TypeScript type, as file#TypeName relative to the policy's folder (e.g. src/user.ts#User).", "The TypeScript type, as `file#TypeName` relative to the policy's folder (e.g. `src/user.ts#User`)."),
                },
                schema: { $ref: "#/definitions/relativePath", ...d("The JSON Schema file the type mirrors, relative to the policy's folder.") },
              },
            },
          },
        },
      },
    },
    architecture: {
      type: "object",
      additionalProperties: false,
      ...d("Architecture rules checked on the import graph."),
      properties: {
        layers: {
          type: "array",
          ...d("Named groups of files and which other layers each may import; an import that crosses a boundary not listed in mayImport is reported."),
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "paths"],
            ...d("One layer: its name, its files, and the layers it may import."),
            properties: {
              name: { type: "string", minLength: 1, ...d("The layer's unique name (e.g. domain), used in other layers' mayImport.") },
              paths: { $ref: "#/definitions/globList", ...d("Globs of the layer's files, relative to the policy's folder.") },
              mayImport: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                ...d("Names of the layers this layer's files may import (its own files always may). Default: none.", "Names of the layers this layer's files may import (its own files always may). Default `[]`: none."),
              },
            },
          },
        },
      },
    },
  },
  definitions: {
    severity: {
      type: "string",
      enum: ["error", "warning", "info", "hint", "off"],
      markdownEnumDescriptions: severityDescriptions,
      ...d("How findings are reported: error, warning, info, hint, or off to turn the rule off.", "How findings are reported: `error`, `warning`, `info`, `hint`, or `off` to turn the rule off."),
    },
    autofix: {
      type: "string",
      enum: ["auto", "review", "deny", "off"],
      markdownEnumDescriptions: autofixDescriptions,
      ...d(
        "What automation may do with this rule's fixes: auto (apply after verification), review (a human confirms the preview), deny (listed but disabled), off (not offered). Default review.",
        "What automation may do with this rule's fixes: `auto` (apply after verification), `review` (a human confirms the preview), `deny` (listed but disabled), `off` (not offered). Default `review`.",
      ),
    },
    globList: {
      type: "array",
      minItems: 1,
      items: { $ref: "#/definitions/glob" },
      ...d("A list of globs relative to the policy's folder."),
    },
    glob: {
      type: "string",
      minLength: 1,
      maxLength: 1024,
      ...d(
        "A glob relative to the policy's folder (**, *, ?, [abc], {a,b}); a glob that matches a folder covers everything inside it. No absolute paths and no '..'.",
        "A glob relative to the policy's folder (`**`, `*`, `?`, `[abc]`, `{a,b}`); a glob that matches a folder covers everything inside it. No absolute paths and no `..`.",
      ),
    },
    extendsItem: {
      type: "string",
      minLength: 1,
      examples: ["recommended", "strict", "./base.yaml"],
      ...d(
        "recommended, strict, or a path to a policy file relative to this policy's folder.",
        "`recommended`, `strict`, or a path to a policy file relative to this policy's folder.",
      ),
    },
    relativePath: { type: "string", minLength: 1, maxLength: 1024, ...d("A path relative to the policy's folder that stays inside the workspace folder.") },
    nonEmptyText: { type: "string", minLength: 1, ...d("Text that must not be empty.") },
  },
};

function inline(node, definitions) {
  if (Array.isArray(node)) return node.map((item) => inline(item, definitions));
  if (node === null || typeof node !== "object") return node;
  const result = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref") Object.assign(result, inline(definitions[value.replace("#/definitions/", "")], definitions));
    else if (key !== "definitions") result[key] = inline(value, definitions);
  }
  // Siblings of a $ref (a more specific description) win over the definition's own.
  for (const [key, value] of Object.entries(node)) if (key !== "$ref" && key !== "definitions") result[key] = inline(value, definitions);
  return result;
}

const output = path.join(root, "policies/policy.schema.json");
fs.writeFileSync(output, JSON.stringify(inline(schema, schema.definitions), null, 2) + "\n");
console.log(`wrote ${path.relative(root, output)}`);
