/// <reference lib="dom" />
/**
 * The debt index over time as a small inline SVG line, made with DOM calls like the rest of the
 * page (no markup strings): only numbers the page computed reach an attribute, through a fixed
 * list of SVG attribute names.
 */
const svgNamespace = "http://www.w3.org/2000/svg";
const allowedAttribute = /^(class|viewBox|width|height|points|cx|cy|r|preserveAspectRatio|focusable|role|aria-label|aria-hidden)$/;

export interface SparklinePoint {
  time: string;
  value: number;
}

const width = 240;
const height = 48;
const pad = 4;

/** A line through the values, oldest left; undefined for fewer than two points (nothing to draw a trend from). */
export function sparkline(points: readonly SparklinePoint[], label: string): SVGSVGElement | undefined {
  if (points.length < 2) return undefined;
  const values = points.map((point) => point.value);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const x = (index: number) => pad + (index * (width - 2 * pad)) / (points.length - 1);
  const y = (value: number) => height - pad - ((value - low) * (height - 2 * pad)) / span;
  const coordinates = values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(" ");
  const last = values.length - 1;
  return svg(
    "svg",
    { class: "sparkline", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label, focusable: "false" },
    svg("polyline", { class: "sparkline-line", points: coordinates }),
    svg("circle", { class: "sparkline-last", cx: x(last).toFixed(1), cy: y(values[last]).toFixed(1), r: 2.5 }),
  );
}

function svg<Tag extends keyof SVGElementTagNameMap>(tag: Tag, attributes: Record<string, string | number>, ...children: SVGElement[]): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (!allowedAttribute.test(name)) throw new Error(`sparkline: the attribute ${name} is not allowed`);
    element.setAttribute(name, String(value));
  }
  element.append(...children);
  return element;
}
