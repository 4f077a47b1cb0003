import { parseLegacyOrder } from "../domain/order";
import { cancelOrder, placeOrder } from "../services/orderService";

type Handler = (body: unknown) => Promise<unknown>;

export const routes: Record<string, Handler> = {
  "POST /orders": (body) => placeOrder(parseLegacyOrder(body)),
  "POST /orders/cancel": async (body) => {
    const { id } = body as { id: string };
    return { cancelled: await cancelOrder(id) };
  },
};

export function handle(route: string, body: unknown, respond: (result: unknown) => void): void {
  const handler = routes[route];
  if (!handler) return respond({ error: "not found" });
  handler(body).then(respond);
}
