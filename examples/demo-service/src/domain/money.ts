/** @deprecated Use {@link formatCents} instead: it rounds half-cents the way the ledger does. */
export function formatPrice(cents: number): string {
  return (cents / 100).toFixed(2) + " EUR";
}

export function formatCents(cents: number): string {
  return (Math.round(cents) / 100).toFixed(2) + " EUR";
}
