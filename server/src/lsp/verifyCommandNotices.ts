import type { PolicySet } from "../engine/policy/policySet";

/**
 * In an untrusted workspace a policy's `verify.command` does not run. The user is told once per
 * command (not per analysis or per save), so the notice informs without nagging; a changed
 * command is a new one and is announced again.
 */
export class VerifyCommandNotices {
  private readonly announced = new Set<string>();

  /** Messages for commands that will not run and were not announced yet; each is announced by returning it. */
  takeNew(policies: PolicySet): string[] {
    const messages: string[] = [];
    for (const policyFile of policies.policyFiles()) {
      const { command, willRun, reason } = policies.verifyCommand(policyFile);
      if (!command || willRun) continue;
      const key = `${command.origin.file}\n${command.text}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      const where = `${policies.displayPath(command.origin.file)}:${command.origin.line + 1}`;
      messages.push(
        `Not running verify.command ${JSON.stringify(command.text)} from ${where}: ${reason ?? "this workspace is not trusted"}. Fixes are verified by type-checking only; trust the workspace to run it.`,
      );
    }
    return messages;
  }
}
