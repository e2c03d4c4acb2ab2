/**
 * Places the network picture's dots with d3-force: linked members pull together, everyone pushes
 * apart a little, and a weak pull to the centre keeps members without links in view. The layout
 * is computed on the server (deterministic for the same graph), so the page draws plain SVG.
 */
import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationNodeDatum,
} from 'd3-force';
import type { NetworkGraph } from '../../core/stats/graph.js';

export interface PlacedNode {
  index: number;
  x: number;
  y: number;
}

export const NODE_RADIUS = 11;

interface SimNode extends SimulationNodeDatum {
  index: number;
}

/** Node positions inside a `size` × `size` box (with a margin for the dots). */
export function layoutGraph(graph: NetworkGraph, size: number, ticks = 300): PlacedNode[] {
  const nodes: SimNode[] = graph.nodes.map((n) => ({ index: n.index }));
  if (nodes.length === 0) return [];
  const links = graph.edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight }));
  const simulation = forceSimulation(nodes)
    .force(
      'link',
      forceLink<SimNode, (typeof links)[number]>(links)
        .id((n) => n.index)
        .distance(45)
        .strength((l) => Math.min(1, 0.4 + 0.2 * l.weight)),
    )
    .force('charge', forceManyBody().strength(-90))
    .force('x', forceX(0).strength(0.07))
    .force('y', forceY(0).strength(0.07))
    .force('collide', forceCollide(NODE_RADIUS + 3))
    .stop();
  simulation.tick(ticks);

  const xs = nodes.map((n) => n.x ?? 0);
  const ys = nodes.map((n) => n.y ?? 0);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1);
  const margin = NODE_RADIUS + 4;
  const scale = Math.min(3, (size - 2 * margin) / span);
  // Centre the drawing in the box.
  const offsetX = (size - (Math.max(...xs) - minX) * scale) / 2;
  const offsetY = (size - (Math.max(...ys) - minY) * scale) / 2;
  return nodes.map((n) => ({
    index: n.index,
    x: Math.round(((n.x ?? 0) - minX) * scale + offsetX),
    y: Math.round(((n.y ?? 0) - minY) * scale + offsetY),
  }));
}
