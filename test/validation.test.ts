import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { LoadBalancer, Mesh, MeshService } from '../src';
import { newChart, synthError, TEST_MESH } from './helpers';

describe('bad input fails at synth with a message naming the construct, the value and a fix', () => {
  test('all problems are reported at once', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, envoyImage: 'envoy' });
    new MeshService(chart, 'orders', { mesh, image: 'a:1', port: 15000, loadBalancer: LoadBalancer.leastRequest({ choiceCount: 1 }) });
    const message = synthError(chart);
    expect(message).toMatch(/envoyImage 'envoy' is not pinned/);
    expect(message).toMatch(/collides with the sidecar's admin port/);
    expect(message).toMatch(/choiceCount 1 is invalid/);
  });

  test('nothing is written to the output folder when validation fails', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-dist-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 15006 });
    expect(() => app.synth()).toThrow(/collides with the sidecar's inbound port/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});
