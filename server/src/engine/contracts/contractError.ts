/** Bad input around a contract (a baseline that does not parse, an entry that is not a module); the id is documented in docs/messages.md. */
export type ContractMessageId =
  | "contract-baseline-missing"
  | "contract-baseline-invalid"
  | "contract-entry-missing"
  | "contract-schema-invalid"
  | "contract-mirror-invalid";

export class ContractError extends Error {
  constructor(
    readonly id: ContractMessageId,
    message: string,
  ) {
    super(message);
    this.name = "ContractError";
  }
}
