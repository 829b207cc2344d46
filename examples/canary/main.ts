import { App } from 'cdk8s';
import { CanaryChart } from './canary';

const app = new App();
new CanaryChart(app, 'canary');
app.synth();
