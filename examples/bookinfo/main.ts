import { App } from 'cdk8s';
import { BookinfoChart } from './bookinfo';

const app = new App();
// On Istio: new BookinfoChart(app, 'bookinfo', { engine: MeshEngine.istio() }).
new BookinfoChart(app, 'bookinfo');
app.synth();
