import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ShopChart } from './shop';

const app = new App();
const chart = new ShopChart(app, 'shop');
app.synth();
// A picture of the mesh next to the manifests.
fs.writeFileSync(path.join(app.outdir, 'mesh.mmd'), chart.mesh.toMermaid());
