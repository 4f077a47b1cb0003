/**
 * An API contract from a program, in the two forms the rest needs: a baseline to write, and the
 * current side of a diff. Both are an extraction plus the entry's declaration bundle.
 */
import type * as ts from "typescript";
import { apiBaseline, type ApiBaseline } from "./baseline";
import type { CurrentContract } from "./classify";
import { emitContractDeclarations } from "./declarations";
import { extractContract } from "./extract";
import { normalizePath } from "../workspace/paths";

export interface ApiContractInput {
  program: ts.Program;
  /** Absolute path of the entry module. */
  entryFile: string;
  name: string;
}

export interface CurrentApi extends CurrentContract {
  /** What TypeScript reported while writing declarations (an inferred type it cannot name); those spots are `any` in the bundle. */
  declarationProblems: string[];
}

export function currentApi(input: ApiContractInput): CurrentApi {
  const { api, locations } = extractContract(input.program, input.entryFile);
  const { bundle, problems } = emitContractDeclarations(input.program, input.entryFile);
  return { name: input.name, api, locations, declarations: bundle, entryFile: normalizePath(input.entryFile), declarationProblems: problems };
}

/** `entry`: the entry module as the baseline records it (relative to the folder that holds `.selfheal/`). */
export function snapshotApi(input: ApiContractInput & { version: string; entry: string }): { baseline: ApiBaseline; current: CurrentApi } {
  const current = currentApi(input);
  return { current, baseline: apiBaseline({ name: input.name, version: input.version, entry: input.entry, api: current.api, declarations: current.declarations }) };
}
