export type OrderStatus = "pending" | "paid" | "shipped" | "cancelled";

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  customerId: string;
  lines: OrderLine[];
  status: OrderStatus;
  createdAt: Date;
}

export function totalCents(order: Order): number {
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}

// Legacy payloads from the v1 mobile app still arrive untyped.
export function parseLegacyOrder(payload: any): Order {
  return {
    id: String(payload.id),
    customerId: String(payload.customer),
    lines: payload.items ?? [],
    status: "pending",
    createdAt: new Date(payload.created ?? Date.now()),
  };
}
