import * as path from 'path';
import madge from 'madge';

/**
 * The code's shape: data flows one way, constructs -> model -> checks and
 * planners -> renderers, so no module of src/ may import itself back.
 * Type-only imports are erased at compile and exempt: the public API's types
 * refer to each other (MeshServiceProps.mesh is a Mesh, Mesh.services are
 * MeshServices).
 */
const sourceGraph = () => madge(path.join(__dirname, '..', 'src'), {
  fileExtensions: ['ts'],
  excludeRegExp: [/imports\//],
  detectiveOptions: { ts: { skipTypeImports: true }, es6: { skipTypeImports: true } },
});

test('no import cycle among the files of src/', async () => {
  const graph = await sourceGraph();
  expect(Object.keys(graph.obj()).length).toBeGreaterThan(50); // the graph was really read
  expect(graph.circular()).toEqual([]);
});

test('renderers know nothing of constructs: src/engines/envoy imports no construct module', async () => {
  const graph = await sourceGraph();
  const constructs = ['mesh.ts', 'mesh-service.ts', 'traffic/weighted-route.ts', 'failover/failover-policy.ts',
    'security/authorization-policy.ts', 'security/jwt-authentication.ts', 'monitoring/monitored-workload.ts'];
  const envoy = Object.entries(graph.obj()).filter(([file]) => file.startsWith('engines/envoy/'));
  expect(envoy.length).toBeGreaterThan(5);
  for (const [file, imports] of envoy) expect({ file, constructs: imports.filter(i => constructs.includes(i)) }).toEqual({ file, constructs: [] });
});
