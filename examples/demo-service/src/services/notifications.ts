import type { Order } from "../domain/order";
import { orderSummary } from "./orderService";

export async function sendConfirmation(order: Order): Promise<void> {
  const text = orderSummary(order);
  await Promise.resolve(text);
}
