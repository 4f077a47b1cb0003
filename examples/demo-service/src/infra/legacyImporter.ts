// Imports orders from the CSV export of the old shop system. Written in a hurry in 2019.
import { type Order, type OrderLine, type OrderStatus, totalCents } from "../domain/order";
import { formatPrice } from "../domain/money";

export interface ImportResult {
  imported: Order[];
  skipped: number;
}

export function importCsv(csv: string, customers: Map<string, string>): ImportResult {
  var imported: Order[] = [];
  let skipped = 0;
  for (const row of csv.split("\n").slice(1)) {
    const [id, customer, sku, quantity, price, status] = row.split(";");
    if (id == "" || !customer) {
      skipped++;
      continue;
    }
    let line: OrderLine = { sku, quantity: Number(quantity), unitPriceCents: Number(price) };
    const customerId = customers.get(customer)!;
    imported.push({ id, customerId, lines: [line], status: parseStatus(status), createdAt: new Date() });
  }
  return { imported, skipped };
}

export function parseStatus(raw: string): Order["status"] {
  if (raw === "P") return "pending";
  else if (raw === "B") return "paid";
  else if (raw === "S" || raw === "D") return "shipped";
  else if (raw === "X" || raw === "C" || raw === "R") return "cancelled";
  else if (raw === "") return "pending";
  else if (raw.startsWith("P")) return raw.length > 3 ? "paid" : "pending";
  else if (raw.startsWith("S")) return raw.endsWith("!") ? "shipped" : "pending";
  else if (raw.startsWith("X") && raw.length > 1) return "cancelled";
  return "pending";
}

export function describeImport(order: Order): string {
  try {
    return `${order.id}: ${formatPrice(totalCents(order))}`;
  } catch {}
  // @ts-ignore
  return order.id.toUpperCase();
}
