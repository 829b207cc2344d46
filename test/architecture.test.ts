import * as fs from 'fs';
import * as path from 'path';
import madge from 'madge';

/**
 * The code's shape (README "Architecture"): data flows one way, constructs ->
 * model -> checks -> plans -> engines -> objects. Type imports count: a type
 * import is a dependency a reader follows too.
 */
const SRC = path.join(__dirname, '..', 'src');
let graph: Record<string, string[]>;
beforeAll(async () => {
  const result = await madge(SRC, {
    fileExtensions: ['ts'],
    excludeRegExp: [/imports\//],
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  graph = result.obj();
});

/** The public constructs: the top layer, which nothing below may import. */
const CONSTRUCT_FILES = [
  'mesh.ts', 'mesh-service.ts', 'workload.ts', 'traffic/weighted-route.ts', 'traffic/external-service.ts', 'traffic/rate-limit.ts',
  'failover/failover-policy.ts', 'security/authorization-policy.ts', 'security/jwt-authentication.ts',
  'monitoring/monitored-workload.ts', 'monitoring/mesh-dashboard.ts',
];

/** The files a file imports, directly or not. */
function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    for (const next of graph[file] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        visit(next);
      }
    }
  };
  visit(from);
  return seen;
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph[v] ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of Object.keys(graph)) if (!index.has(v)) visit(v);
  return found;
}

test('no import cycle, type imports counted, except Mesh and MeshService naming each other', () => {
  expect(Object.keys(graph).length).toBeGreaterThan(100); // the graph was really read
  // A mesh lists its services and a service belongs to a mesh: the public API's one documented cycle.
  expect(cycles()).toEqual([['mesh-service.ts', 'mesh.ts']]);
});

test('the model, plans and engines never import a construct file, even as a type', () => {
  const lower = Object.keys(graph).filter(f => /^(model|plan|engines|synth)\//.test(f) && f !== 'engines/engine.ts');
  expect(lower.length).toBeGreaterThan(30);
  for (const file of lower) {
    expect({ file, constructs: [...reachable(file)].filter(f => CONSTRUCT_FILES.includes(f)) }).toEqual({ file, constructs: [] });
  }
});

test('the model is the bottom layer: it imports no check, plan, engine or synthesis', () => {
  for (const file of Object.keys(graph).filter(f => f.startsWith('model/'))) {
    const upward = (graph[file] ?? []).filter(f => /^(plan|engines|synth|review)\//.test(f) || f.endsWith('-checks.ts'));
    expect({ file, upward }).toEqual({ file, upward: [] });
  }
});

test('Istio and Gateway API are known only in their engine folders (and the factories of MeshEngine)', () => {
  for (const [file, imports] of Object.entries(graph)) {
    if (file.startsWith('engines/') || file === 'mesh-engine.ts') continue;
    const engineFiles = imports.filter(f => f.startsWith('engines/istio/') || f.startsWith('engines/gateway-api/'));
    expect({ file, engineFiles }).toEqual({ file, engineFiles: [] });
  }
});

test('no hand-written source file is over 400 lines', () => {
  const long = Object.keys(graph)
    .map(file => ({ file, lines: fs.readFileSync(path.join(SRC, file), 'utf-8').split('\n').length }))
    .filter(({ lines }) => lines > 400);
  expect(long).toEqual([]);
});
