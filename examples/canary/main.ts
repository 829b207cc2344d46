import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { CanaryChart } from './canary';

const app = new App();
// Step 1 of the release sends 10% to v2; step 2 is the same program with `canaryPercent: 50`.
const chart = new CanaryChart(app, 'canary', { canaryPercent: 10 });
app.synth();
// A picture of the mesh next to the manifests.
fs.writeFileSync(path.join(app.outdir, 'mesh.mmd'), chart.mesh.toMermaid());
