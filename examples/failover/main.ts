import { App } from 'cdk8s';
import { FailoverChart } from './failover';

const app = new App();
new FailoverChart(app, 'failover');
app.synth();
