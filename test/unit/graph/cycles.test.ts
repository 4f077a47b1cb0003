import * as assert from "node:assert/strict";
import { stronglyConnectedComponents } from "../../../server/src/engine/graph/cycles";

function components(edges: Record<string, string[]>): string[][] {
  const nodes = [...new Set([...Object.keys(edges), ...Object.values(edges).flat()])];
  // Sorted so the assertion does not depend on Tarjan's visiting order.
  return stronglyConnectedComponents(nodes, (node) => edges[node] ?? [])
    .map((component) => [...component].sort())
    .sort((a, b) => a[0].localeCompare(b[0]));
}

describe("graph: stronglyConnectedComponents (Tarjan)", () => {
  it("returns nothing for a graph without cycles", () => {
    assert.deepEqual(components({ a: ["b", "c"], b: ["d"], c: ["d"], d: [] }), []);
  });

  it("finds a 2-cycle and a 3-cycle, and leaves out the nodes that only lead into them", () => {
    assert.deepEqual(components({ entry: ["a"], a: ["b"], b: ["a", "c"], c: ["d"], d: ["e"], e: ["c"] }), [
      ["a", "b"],
      ["c", "d", "e"],
    ]);
  });

  it("reports a self-loop as a component of one, but not a lone node", () => {
    assert.deepEqual(components({ self: ["self"], lone: [] }), [["self"]]);
  });

  it("merges cycles that share a node into one component", () => {
    assert.deepEqual(components({ hub: ["x", "y"], x: ["hub"], y: ["hub"] }), [["hub", "x", "y"]]);
  });

  it("tolerates duplicate edges and successors that are not in the node list", () => {
    const result = stronglyConnectedComponents(["a"], (node) => (node === "a" ? ["b", "b"] : node === "b" ? ["a"] : []));
    assert.deepEqual(result.map((component) => [...component].sort()), [["a", "b"]]);
  });

  it("walks a 5,000-node chain without overflowing the stack", () => {
    const size = 5000;
    const next = (node: string) => {
      const index = Number(node);
      return index + 1 < size ? [String(index + 1)] : [];
    };
    const nodes = Array.from({ length: size }, (_, index) => String(index));
    assert.deepEqual(stronglyConnectedComponents(nodes, next), []);
    // Closing the chain into one ring makes a single component holding every node.
    const ring = stronglyConnectedComponents(nodes, (node) => [String((Number(node) + 1) % size)]);
    assert.equal(ring.length, 1);
    assert.equal(ring[0].length, size);
  });

  it("survives a 100,000-node chain, far beyond any recursion limit", () => {
    const size = 100_000;
    const nodes = Array.from({ length: size }, (_, index) => String(index));
    const ring = stronglyConnectedComponents(nodes, (node) => [String((Number(node) + 1) % size)]);
    assert.equal(ring[0].length, size);
  });
});
