export { type Order, type OrderLine, type OrderStatus, totalCents } from "./domain/order";
export { cancelOrder, placeOrder } from "./services/orderService";
export { handle, routes } from "./http/routes";
