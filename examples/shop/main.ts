import { App } from 'cdk8s';
import { ShopChart } from './shop';

const app = new App();
new ShopChart(app, 'shop');
app.synth();
