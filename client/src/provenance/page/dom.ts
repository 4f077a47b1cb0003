/// <reference lib="dom" />
/**
 * The page's only way to make elements. Text goes in as text nodes and attributes through
 * setAttribute from a fixed list, so a string from the ledger can never become markup or a
 * handler: there is no innerHTML here, and an `on…`, `style`, `href` or `src` attribute throws.
 */
export type Child = Node | string | number | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | undefined>;

const allowedAttribute = /^(class|id|role|tabindex|title|type|placeholder|for|name|value|disabled|hidden|open|colspan|scope|autocomplete|spellcheck|list|min|max|aria-[a-z]+|data-[a-z-]+)$/;

export function h<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, ...children);
  return element;
}

export function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!allowedAttribute.test(name)) throw new Error(`dom: the attribute ${name} is not allowed`);
    if (value === undefined || value === false) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
}

export function append(element: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  append(element, ...children);
}

export function button(label: string, attributes: Attributes, onClick: (event: MouseEvent) => void): HTMLButtonElement {
  const element = h("button", { type: "button", ...attributes }, label);
  element.addEventListener("click", onClick);
  return element;
}
