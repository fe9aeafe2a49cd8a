// Where each box of the flow picture goes: dagre's layered layout, left to right.
import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowGraph, FlowNode } from './flow';

export interface PlacedNode extends FlowNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends FlowEdge {
  points: { x: number; y: number }[];
}

export interface FlowLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const NODE_HEIGHT = 44;
/** Wide enough for the longer of its two lines at the diagram's font size. */
function nodeWidth(n: FlowNode): number {
  const chars = Math.max(n.label.length, (n.detail ?? '').length * 0.85);
  return Math.round(Math.min(300, Math.max(110, chars * 7 + 24)));
}

export function layoutFlow(graph: FlowGraph): FlowLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, edgesep: 8, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT });
  graph.edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, String(i)));
  dagre.layout(g);
  const nodes = graph.nodes.map((n) => {
    const p = g.node(n.id);
    return { ...n, x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height };
  });
  const edges = graph.edges.map((e, i) => ({ ...e, points: g.edge({ v: e.from, w: e.to, name: String(i) }).points ?? [] }));
  const { width = 0, height = 0 } = g.graph();
  return { width, height, nodes, edges };
}
