import type { Finding, Severity } from "../findings";
import type { ImportEdge } from "../graph/importGraph";
import { stronglyConnectedComponents } from "../graph/cycles";
import { displayPath } from "../workspace/paths";
import type { WorkspaceRule } from "./rule";

/**
 * Modules that import each other at run time see each other half-initialized: a class is
 * `undefined` at the moment it is extended, a constant is in its temporal dead zone. The
 * rule reports every import that closes a cycle, with the whole loop spelled out.
 */
export const importCycle: WorkspaceRule = {
  meta: {
    id: "import-cycle",
    description: "Disallow runtime import cycles between workspace modules (type-only imports are ignored).",
    defaultSeverity: "warning",
    typeAware: false,
    fixable: false,
    scope: "workspace",
  },
  check(graph, severity) {
    const runtimeEdges = (file: string) => graph.importsOf(file).filter((edge) => !edge.typeOnly);
    const findings: Finding[] = [];
    for (const component of stronglyConnectedComponents([...graph.files()], (file) => runtimeEdges(file).map((edge) => edge.to))) {
      const members = new Set(component);
      for (const file of component) {
        for (const edge of runtimeEdges(file)) {
          if (!members.has(edge.to)) continue;
          const loop = shortestPathBack(edge, members, runtimeEdges);
          findings.push(findingFor(edge, loop, severity));
        }
      }
    }
    return findings;
  },
};

/** The cycle through `edge`: edge.from → edge.to → … → edge.from, as edges. */
function shortestPathBack(edge: ImportEdge, members: Set<string>, edgesOf: (file: string) => ImportEdge[]): ImportEdge[] {
  const cameFrom = new Map<string, ImportEdge>();
  const queue = [edge.to];
  const seen = new Set([edge.to]);
  for (let index = 0; index < queue.length; index++) {
    const file = queue[index];
    if (file === edge.from) break;
    for (const next of edgesOf(file)) {
      if (!members.has(next.to) || seen.has(next.to)) continue;
      seen.add(next.to);
      cameFrom.set(next.to, next);
      queue.push(next.to);
    }
  }
  const path: ImportEdge[] = [];
  for (let file = edge.from; file !== edge.to; ) {
    const step = cameFrom.get(file);
    if (!step) break;
    path.unshift(step);
    file = step.from;
  }
  return [edge, ...path];
}

function findingFor(edge: ImportEdge, loop: ImportEdge[], severity: Severity): Finding {
  const names = [edge.from, ...loop.map((step) => step.to)].map((file) => displayPath(file, edge.from));
  return {
    ruleId: importCycle.meta.id,
    file: edge.from,
    range: edge.range,
    severity,
    message: `Import cycle: ${names.join(" → ")}. Modules in a cycle can observe each other half-initialized.`,
    fixes: [],
    related: loop.slice(1).map((step) => ({ file: step.from, range: step.range, message: `${displayPath(step.from, edge.from)} imports ${step.specifier}` })),
  };
}
