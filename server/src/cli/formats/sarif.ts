import { pathToFileURL } from "node:url";
import type * as sarif from "sarif";
import type { Severity } from "../../engine/findings";
import { allRules } from "../../engine/rules";
import { ruleDocsUri } from "../../engine/docs";
import type { CheckReport } from "./report";

const levelOf: Record<Severity, sarif.Result.level> = { error: "error", warning: "warning", info: "note", hint: "note" };

/** SARIF 2.1.0, the format GitHub code scanning and most CI dashboards ingest. */
export function formatSarif(report: CheckReport, toolVersion: string): string {
  const rules = allRules.map((rule) => rule.meta);
  const log: sarif.Log = {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: {
            name: "selfheal",
            fullName: "Self-Healing Code",
            version: toolVersion,
            semanticVersion: toolVersion,
            rules: rules.map((meta) => ({
              id: meta.id,
              name: meta.id,
              shortDescription: { text: meta.description },
              helpUri: ruleDocsUri(meta.id),
              defaultConfiguration: { level: levelOf[meta.defaultSeverity] },
              properties: { typeAware: meta.typeAware, fixable: meta.fixable, scope: meta.scope },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(report.root).href.replace(/\/?$/, "/") } },
        results: report.findings.map((finding) => {
          const ruleIndex = rules.findIndex((meta) => meta.id === finding.rule);
          const result: sarif.Result = {
            ruleId: finding.rule,
            level: levelOf[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: relativeUri(finding.file), uriBaseId: "SRCROOT" },
                  region: { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn },
                },
              },
            ],
            properties: { fixable: finding.fixable },
          };
          if (ruleIndex >= 0) result.ruleIndex = ruleIndex;
          return result;
        }),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** Per segment: `encodeURI` leaves `#` and `?` alone, and they would turn the rest of a path into a fragment or query. */
function relativeUri(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}
