/** One change between two synthesized meshes, in the library's terms. */
export interface MeshChange {
  /** What it concerns: a service `<namespace>/<name>`, a Deployment, a PrometheusRule, or the namespaces of an engine switch. */
  readonly service: string;
  readonly text: string;
  /** Needs a closer review: access widens, a protection weakens, load may grow, or pods restart. */
  readonly risky: boolean;
}

/** Records one change. */
export type Add = (text: string, risky?: boolean) => void;

/** The keys of two records, sorted. */
export function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
