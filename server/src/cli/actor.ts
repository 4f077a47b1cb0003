import * as os from "node:os";
import type { Actor } from "../engine/ledger/entry";

/** Who the ledger records for a change made from the command line: the user at this machine. */
export function cliActor(): Actor {
  let user = process.env.USER ?? process.env.USERNAME ?? "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name will do.
  }
  return { kind: "cli", name: `${user}@${os.hostname()}` };
}
