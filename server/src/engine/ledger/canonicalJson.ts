/**
 * RFC 8785 (JSON Canonicalization Scheme) for the JSON the ledger produces.
 *
 * Why not the `canonicalize` package: its current major (5.x) requires Node >= 22 and we support
 * Node 20; and for our values JCS is exactly what ECMAScript already does. RFC 8785 defines
 * strings and numbers by ECMAScript's own JSON.stringify serialization (§3.2.2.2, §3.2.2.3), so
 * the only work left is sorting object keys by UTF-16 code units (§3.2.3) — which is what
 * Array.prototype.sort does without a comparator — and refusing what JSON cannot carry.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      if (!isWellFormed(value)) throw new TypeError("canonical JSON: a string has a lone surrogate (RFC 8785 §3.2.2.2 forbids it)");
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      // Concatenation rather than map/join: appends and the benchmark serialize every entry twice.
      if (Array.isArray(value)) {
        let out = "[";
        for (let index = 0; index < value.length; index++) {
          if (value[index] === undefined) fail("undefined in an array");
          out += (index === 0 ? "" : ",") + canonicalJson(value[index]);
        }
        return out + "]";
      }
      const prototype = Object.getPrototypeOf(value);
      // A Date, Map or class instance would silently become "{}" here.
      if (prototype !== Object.prototype && prototype !== null) fail(`a ${prototype?.constructor?.name ?? "non-plain object"} is not plain JSON`);
      const record = value as Record<string, unknown>;
      let out = "{";
      for (const key of Object.keys(record).sort()) {
        // Left out as JSON.stringify leaves them out, so an optional field set to undefined hashes like an absent one.
        if (record[key] === undefined) continue;
        out += (out.length === 1 ? "" : ",") + canonicalJson(key) + ":" + canonicalJson(record[key]);
      }
      return out + "}";
    }
    default:
      return fail(`a ${typeof value} is not JSON`);
  }
}

function fail(what: string): never {
  throw new TypeError(`canonical JSON: ${what}`);
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  // String.prototype.isWellFormed (Node 20+) is not in our ES2023 lib typings; the regex covers older runtimes.
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !loneSurrogate.test(text);
}
