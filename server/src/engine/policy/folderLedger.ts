/**
 * Where a workspace folder's ledger is, as its own policy says (`ledger.path`), for the tools that
 * start from a folder rather than from a file: `selfheal ledger`, `selfheal report` and the
 * provenance view. The language server and the pipeline ask per file (the nearest policy).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ledgerLocation, type LedgerLocation } from "../ledger/workspacePaths";
import { nodePolicyHost, policyFileName, type PolicyHost } from "./host";
import { loadPolicy } from "./load";

export type FolderLedger = { ok: true; location: LedgerLocation } | { ok: false; message: string };

/**
 * Fails closed: a broken policy may be the one that moves the ledger, so guessing the default
 * path could show (or append to) the wrong file.
 */
export function folderLedger(folder: string, host: PolicyHost = nodePolicyHost): FolderLedger {
  const root = path.resolve(folder);
  const policyFile = path.join(root, policyFileName);
  if (!fs.existsSync(policyFile)) return { ok: true, location: ledgerLocation(root) };
  const loaded = loadPolicy(policyFile, root, host);
  if (!loaded.policy) {
    const problem = loaded.problems.find((candidate) => candidate.severity === "error") ?? loaded.problems[0];
    const where = `${path.relative(root, problem.file) || problem.file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}`;
    return { ok: false, message: `cannot tell where the ledger is: the policy is broken at ${where} (${problem.id}: ${problem.message})` };
  }
  const relative = path.relative(root, loaded.policy.ledgerPath.path).split(path.sep).join("/");
  return { ok: true, location: ledgerLocation(root, relative) };
}
