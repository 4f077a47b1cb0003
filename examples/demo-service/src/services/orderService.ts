import { type Order, totalCents } from "../domain/order";
import { loadOrder, saveOrder, writeAuditLog } from "../infra/database";
import { sendConfirmation } from "./notifications";

export function orderSummary(order: Order): string {
  return `${order.id}: ${order.lines.length} line(s), ${(totalCents(order) / 100).toFixed(2)} EUR`;
}

export async function placeOrder(order: Order): Promise<Order> {
  await saveOrder(order);
  // Fire-and-forget: if the audit store is down, nobody will ever know.
  writeAuditLog({ event: "order.placed", id: order.id });
  sendConfirmation(order);
  return order;
}

export async function cancelOrder(id: string): Promise<boolean> {
  const order = await loadOrder(id);
  if (!order || order.status === "shipped") return false;
  order.status = "cancelled";
  saveOrder(order).catch((error: unknown) => console.error("cancel failed", error));
  return true;
}
