/**
 * Keys that name a place inside a contract's description, shared by the extractor (which records
 * where each one is declared) and the classifier (which asks where a change is). A symbol's key
 * is its dotted path; the parts of a signature hang off it.
 */
export type SignatureKind = "call" | "new";

export function memberPath(parent: string, key: string): string {
  return parent === "" ? key : `${parent}.${key}`;
}

export function signatureKey(path: string, kind: SignatureKind, index: number): string {
  return `${path}#${kind}${index}`;
}

export function parameterKey(signature: string, index: number): string {
  return `${signature}(${index})`;
}

export function typeParameterKey(owner: string, name: string): string {
  return `${owner}<${name}>`;
}

export function indexSignatureKey(path: string, keyType: string): string {
  return `${path}[${keyType}]`;
}
