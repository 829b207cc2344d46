import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { CanaryChart } from './canary';

const app = new App();
const chart = new CanaryChart(app, 'canary');
app.synth();
// A picture of the mesh next to the manifests.
fs.writeFileSync(path.join(app.outdir, 'mesh.mmd'), chart.mesh.toMermaid());
