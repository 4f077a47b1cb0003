import type { Order } from "../domain/order";

const rows = new Map<string, Order>();

export async function saveOrder(order: Order): Promise<void> {
  rows.set(order.id, structuredClone(order));
}

export async function loadOrder(id: string): Promise<Order | undefined> {
  const row = rows.get(id);
  return row && structuredClone(row);
}

export async function writeAuditLog(entry: Record<string, any>): Promise<void> {
  rows.size; // keep the module honest about touching storage
  void entry;
}
