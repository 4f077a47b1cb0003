/**
 * Reads one parsed policy file into settings with origins, and checks what the schema cannot:
 * globs, calendar dates, expired exceptions, contract shapes, and that every path stays inside
 * the workspace folder. Reads defensively: a value of the wrong shape (already reported by the
 * schema) is skipped, so every problem of the file is reported in one pass.
 */
import type { SeveritySetting } from "../findings";
import type { ArchitectureLayer, Autofix, ContractDeclaration, ContractMirror, PolicyException, PolicyMessageId, PolicyOrigin, PolicyProblem, ProtectedPaths } from "./model";
import { globProblem } from "./globs";
import type { PolicyHost } from "./host";
import { displayPath, resolveInsideFolder } from "./paths";
import { emptySettings, type Located, type LocatedGlobs, type PolicySettings, type RuleEntry } from "./settings";
import { policySchema } from "./schema";
import { didYouMean } from "./suggest";
import { segmentsOf, valueAt, type PolicySource } from "./yamlSource";

export interface ExtendsItem {
  name: string;
  pointer: string;
}

export interface PolicyLayer {
  settings: PolicySettings;
  extends: ExtendsItem[];
  problems: PolicyProblem[];
  /** Names this file declares that clash with the inherited ones, and layer references that name no layer. */
  checkAgainst(inherited: PolicySettings): PolicyProblem[];
}

const severities: readonly string[] = ["error", "warning", "info", "hint", "off"];
const autofixes: readonly string[] = ["auto", "review", "deny", "off"];

export function readLayer(source: PolicySource, root: string, workspaceFolder: string, host: PolicyHost): PolicyLayer {
  return new LayerReader(source, root, workspaceFolder, host).read();
}

type Data = Record<string, unknown>;

function isRecord(value: unknown): value is Data {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function own(record: Data, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function child(pointer: string, segment: string | number): string {
  return `${pointer}/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** `YYYY-MM-DD` of a moment, in UTC. */
export function utcDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

class LayerReader {
  private readonly problems: PolicyProblem[] = [];

  constructor(
    private readonly source: PolicySource,
    private readonly root: string,
    private readonly workspaceFolder: string,
    private readonly host: PolicyHost,
  ) {}

  read(): PolicyLayer {
    const value = this.source.value;
    if (!isRecord(value)) return { settings: emptySettings(), extends: [], problems: this.problems, checkAgainst: () => [] };
    return {
      settings: {
        include: this.globs(value, "/include"),
        exclude: this.globs(value, "/exclude"),
        rules: this.rules(value),
        protected: this.protectedPaths(value),
        exceptions: this.exceptions(value),
        limits: {
          maxFilesPerChange: this.positiveInteger("/limits/maxFilesPerChange"),
          maxLinesPerChange: this.positiveInteger("/limits/maxLinesPerChange"),
        },
        verify: this.verify(),
        ledgerPath: this.ledgerPath(),
        contracts: this.contracts(value),
        layers: this.layers(value),
      },
      extends: this.extendsItems(value),
      problems: this.problems,
      checkAgainst: (inherited) => this.checkAgainst(inherited),
    };
  }

  private checkAgainst(inherited: PolicySettings): PolicyProblem[] {
    const problems: PolicyProblem[] = [];
    const clash = (pointer: string, what: string, name: string, first: PolicyOrigin) =>
      problems.push({
        id: "policy-invalid-value",
        file: this.source.file,
        range: this.source.valueRange(pointer),
        severity: "error",
        message: `${what} '${name}' is already declared (${first.key}${first.file === this.source.file ? "" : ` in ${displayPath(first.file, this.workspaceFolder)}`}, line ${first.line + 1}); names must be unique`,
      });
    const contracts = new Map(inherited.contracts.map((contract) => [contract.name, contract.origin]));
    for (const { record, pointer } of this.records(this.source.value as Data, "contracts")) {
      const name = this.text(record, "name");
      if (name === undefined) continue;
      const first = contracts.get(name);
      if (first !== undefined) clash(child(pointer, "name"), "contract", name, first);
      else contracts.set(name, this.origin(pointer));
    }
    const architecture = own(this.source.value as Data, "architecture");
    const layers = isRecord(architecture) ? this.records(architecture, "layers").map(({ record, pointer }) => ({ record, pointer: `/architecture${pointer}` })) : [];
    const layerNames = new Map(inherited.layers.map((layer) => [layer.name, layer.origin]));
    for (const { record, pointer } of layers) {
      const name = this.text(record, "name");
      if (name === undefined) continue;
      const first = layerNames.get(name);
      if (first !== undefined) clash(child(pointer, "name"), "layer", name, first);
      else layerNames.set(name, this.origin(pointer));
    }
    for (const { record, pointer } of layers) {
      const mayImport = own(record, "mayImport");
      if (!Array.isArray(mayImport)) continue;
      mayImport.forEach((name, index) => {
        if (typeof name !== "string" || layerNames.has(name)) return;
        const itemPointer = child(child(pointer, "mayImport"), index);
        problems.push({
          id: "policy-invalid-value",
          file: this.source.file,
          range: this.source.valueRange(itemPointer),
          severity: "error",
          message: `${this.source.displayOf(itemPointer)}: no layer is named '${name}'${didYouMean(name, layerNames.keys()) || ` (layers: ${[...layerNames.keys()].join(", ") || "none"})`}`,
        });
      });
    }
    return problems;
  }

  private at(pointer: string): unknown {
    return valueAt(this.source.value, segmentsOf(pointer));
  }

  private origin(pointer: string): PolicyOrigin {
    const start = (this.source.keyRange(pointer) ?? this.source.valueRange(pointer)).start;
    return { file: this.source.file, line: start.line, character: start.character, key: this.source.displayOf(pointer) };
  }

  private report(id: PolicyMessageId, pointer: string, message: string, severity: "error" | "warning" = "error"): void {
    this.problems.push({ id, file: this.source.file, range: this.source.valueRange(pointer), severity, message });
  }

  private located<T>(pointer: string, value: T): Located<T> {
    return { value, origin: this.origin(pointer) };
  }

  private extendsItems(value: Data): ExtendsItem[] {
    const written = own(value, "extends");
    if (typeof written === "string") return [{ name: written, pointer: "/extends" }];
    if (!Array.isArray(written)) return [];
    return written.flatMap((name, index) => (typeof name === "string" ? [{ name, pointer: `/extends/${index}` }] : []));
  }

  /** A glob list, with every bad glob reported; undefined when absent or not a list of strings. */
  private globs(container: unknown, pointer: string, key = pointer.slice(pointer.lastIndexOf("/") + 1)): LocatedGlobs | undefined {
    const written = isRecord(container) ? own(container, key) : undefined;
    if (!Array.isArray(written) || written.length === 0 || !written.every((glob) => typeof glob === "string" && glob.length > 0)) return undefined;
    const globs = written as string[];
    globs.forEach((glob, index) => {
      const problem = globProblem(glob);
      if (problem !== undefined) this.report("policy-bad-glob", child(pointer, index), `${this.source.displayOf(child(pointer, index))}: ${problem}`);
    });
    return { globs, root: this.root, origin: this.origin(pointer), itemOrigins: globs.map((_, index) => this.origin(child(pointer, index))) };
  }

  private rules(value: Data): Map<string, RuleEntry> {
    const rules = new Map<string, RuleEntry>();
    const written = own(value, "rules");
    if (!isRecord(written)) return rules;
    const known = new Set(Object.keys(policySchema().properties?.rules?.properties ?? {}));
    for (const [id, setting] of Object.entries(written)) {
      if (!known.has(id)) continue; // reported as policy-unknown-rule by the schema
      const pointer = child("/rules", id);
      if (typeof setting === "string") {
        if (severities.includes(setting)) rules.set(id, { severity: this.located(pointer, setting as SeveritySetting) });
        continue;
      }
      if (!isRecord(setting)) continue;
      const entry: RuleEntry = {};
      const severity = own(setting, "severity");
      if (typeof severity === "string" && severities.includes(severity)) entry.severity = this.located(child(pointer, "severity"), severity as SeveritySetting);
      const autofix = own(setting, "autofix");
      if (typeof autofix === "string" && autofixes.includes(autofix)) entry.autofix = this.located(child(pointer, "autofix"), autofix as Autofix);
      entry.paths = this.globs(setting, child(pointer, "paths"), "paths");
      const options = own(setting, "options");
      if (isRecord(options)) entry.options = this.located(child(pointer, "options"), { ...options });
      rules.set(id, entry);
    }
    return rules;
  }

  private records(value: Data, key: string): Array<{ record: Data; pointer: string }> {
    const written = own(value, key);
    if (!Array.isArray(written)) return [];
    return written.flatMap((record, index) => (isRecord(record) ? [{ record, pointer: `/${key}/${index}` }] : []));
  }

  private text(record: Data, key: string): string | undefined {
    const written = own(record, key);
    return typeof written === "string" && written.length > 0 ? written : undefined;
  }

  private protectedPaths(value: Data): ProtectedPaths[] {
    return this.records(value, "protected").flatMap(({ record, pointer }) => {
      const globs = this.globs(record, child(pointer, "paths"), "paths");
      const reason = this.text(record, "reason");
      const autofix = own(record, "autofix") ?? "deny";
      if (!globs || reason === undefined || (autofix !== "deny" && autofix !== "review")) return [];
      const owner = this.text(record, "owner");
      return [{ paths: globs.globs, autofix, reason, ...(owner !== undefined ? { owner } : {}), root: this.root, origin: this.origin(pointer) }];
    });
  }

  private exceptions(value: Data): PolicyException[] {
    const today = utcDay(this.host.now());
    return this.records(value, "exceptions").flatMap(({ record, pointer }) => {
      const globs = this.globs(record, child(pointer, "paths"), "paths");
      const [ruleId, reason, owner, expires] = ["rule", "reason", "owner", "expires"].map((key) => this.text(record, key));
      if (!globs || ruleId === undefined || reason === undefined || owner === undefined || expires === undefined) return [];
      const expiresPointer = child(pointer, "expires");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(expires)) return []; // the schema reports the format
      if (!isCalendarDate(expires)) {
        this.report("policy-invalid-value", expiresPointer, `${this.source.displayOf(expiresPointer)} is not a calendar date (got '${expires}')`);
        return [];
      }
      if (expires < today) {
        this.report(
          "policy-exception-expired",
          expiresPointer,
          `the exception for ${ruleId} in ${globs.globs.join(", ")} expired on ${expires} (${reason}; owner ${owner}): its findings are reported again`,
          "warning",
        );
      }
      return [{ paths: globs.globs, ruleId, reason, owner, expires, root: this.root, origin: this.origin(pointer) }];
    });
  }

  private positiveInteger(pointer: string): Located<number> | undefined {
    const written = this.at(pointer);
    return typeof written === "number" && Number.isInteger(written) && written >= 1 ? this.located(pointer, written) : undefined;
  }

  private verify(): PolicySettings["verify"] {
    const typecheck = this.at("/verify/typecheck");
    const command = this.at("/verify/command");
    const timeout = this.at("/verify/timeoutSeconds");
    return {
      typecheck: typeof typecheck === "boolean" ? this.located("/verify/typecheck", typecheck) : undefined,
      command: typeof command === "string" && command.length > 0 ? this.located("/verify/command", command) : undefined,
      timeoutSeconds: typeof timeout === "number" && Number.isInteger(timeout) && timeout >= 1 && timeout <= 3600 ? this.located("/verify/timeoutSeconds", timeout) : undefined,
    };
  }

  /** An absolute path inside the workspace folder, or undefined (with a problem when it leaves the folder). */
  private insidePath(pointer: string, written: unknown): string | undefined {
    if (typeof written !== "string" || written.length === 0) return undefined;
    const resolved = resolveInsideFolder(written, this.root, this.workspaceFolder, this.host);
    if (resolved.problem !== undefined) this.report("policy-path-outside", pointer, `${this.source.displayOf(pointer)}: ${resolved.problem}`);
    return resolved.path;
  }

  private ledgerPath(): Located<string> | undefined {
    const resolved = this.insidePath("/ledger/path", this.at("/ledger/path"));
    return resolved === undefined ? undefined : this.located("/ledger/path", resolved);
  }

  private contracts(value: Data): ContractDeclaration[] {
    return this.records(value, "contracts").flatMap(({ record, pointer }) => {
      const name = this.text(record, "name");
      const hasEntry = own(record, "entry") !== undefined;
      const hasSchema = own(record, "schema") !== undefined;
      if (hasEntry === hasSchema) {
        this.problems.push({
          id: "policy-invalid-value",
          file: this.source.file,
          range: this.source.headRange(pointer),
          severity: "error",
          message: `${this.source.displayOf(pointer)} must have exactly one of 'entry' (a module whose exports are the contract) or 'schema' (a JSON Schema file)${hasEntry ? ", not both" : ""}`,
        });
      }
      const entry = this.insidePath(child(pointer, "entry"), own(record, "entry"));
      const schema = this.insidePath(child(pointer, "schema"), own(record, "schema"));
      const baselineWritten = own(record, "baseline") ?? (name !== undefined ? `.selfheal/contracts/${name}.json` : undefined);
      const baseline = this.insidePath(child(pointer, "baseline"), baselineWritten);
      const breaking = own(record, "breaking") ?? "error";
      const mirrors = this.mirrors(record, pointer);
      if (name === undefined || baseline === undefined || hasEntry === hasSchema || (entry ?? schema) === undefined || typeof breaking !== "string" || !severities.includes(breaking)) return [];
      return [{ name, ...(entry !== undefined ? { entry } : {}), ...(schema !== undefined ? { schema } : {}), breaking: breaking as SeveritySetting, baseline, mirrors, origin: this.origin(pointer) }];
    });
  }

  private mirrors(contract: Data, contractPointer: string): ContractMirror[] {
    const written = own(contract, "mirrors");
    if (!Array.isArray(written)) return [];
    return written.flatMap((mirror, index) => {
      if (!isRecord(mirror)) return [];
      const pointer = child(child(contractPointer, "mirrors"), index);
      const type = own(mirror, "type");
      const match = typeof type === "string" ? /^([^#]+)#([A-Za-z_$][A-Za-z0-9_$]*)$/.exec(type) : null;
      const file = match ? this.insidePath(child(pointer, "type"), match[1]) : undefined;
      const schema = this.insidePath(child(pointer, "schema"), own(mirror, "schema"));
      if (!match || file === undefined || schema === undefined) return [];
      return [{ type: type as string, file, typeName: match[2], schema, origin: this.origin(pointer) }];
    });
  }

  private layers(value: Data): ArchitectureLayer[] {
    const architecture = own(value, "architecture");
    if (!isRecord(architecture)) return [];
    return this.records(architecture, "layers").flatMap(({ record, pointer: relative }) => {
      const pointer = `/architecture${relative}`;
      const name = this.text(record, "name");
      const globs = this.globs(record, child(pointer, "paths"), "paths");
      const mayImport = own(record, "mayImport") ?? [];
      if (name === undefined || !globs || !Array.isArray(mayImport) || !mayImport.every((item) => typeof item === "string")) return [];
      return [{ name, paths: globs.globs, mayImport: mayImport as string[], root: this.root, origin: this.origin(pointer) }];
    });
  }
}
