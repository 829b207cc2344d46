import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Mesh, MeshService, MonitoredWorkload, MonitoredWorkloadProps, Objective, Protocol } from '../../src';
import { newChart, TEST_MESH } from '../helpers';
import { BadInput } from './bad-input';

function monitored(props: Omit<MonitoredWorkloadProps, 'service'>, protocol?: Protocol) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const service = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, protocol });
  new MonitoredWorkload(chart, 'monitoring', { service, ...props });
  return chart;
}

/** Bad input of monitoring and SLOs. */
export const MONITORING_CASES: BadInput[] = [
  ['a metrics port that is the application port', () => monitored({ metricsPort: 8080 }),
    [/\[test\/monitoring\] metricsPort 8080 is the application port: opening it to the monitoring namespace would let it around the sidecar/]],
  ['an availability objective of 100%', () => monitored({ objectives: [Objective.availability(100)] }),
    [/\[test\/monitoring\] objective availability 100%/]],
  ['an availability objective of 0%', () => monitored({ objectives: [Objective.availability(0)] }), [/objective availability 0%/]],
  ['a latency objective above 100%', () => monitored({ objectives: [Objective.latency({ percentile: 150, threshold: Duration.millis(300) })] }),
    [/objective latency p150/]],
  ['a latency objective without a positive threshold', () => monitored({
    objectives: [Objective.latency({ percentile: 99, threshold: Duration.millis(0) })],
  }), [/objective latency p99 < 0ms/]],
  ['a latency objective with no histogram source (a TCP service)', () => monitored({
    objectives: [Objective.latency({ percentile: 99, threshold: Duration.millis(50) })],
  }, Protocol.TCP), [/orders speaks TCP: its sidecar records no request latency or status, so SLOs have no histogram source/]],
  ['a scrape interval that is not a valid Prometheus duration', () => monitored({ scrapeInterval: Duration.millis(0.5) }),
    [/scrapeInterval 0.5ms is not a valid Prometheus duration/]],
  ['an alert error ratio outside (0, 1)', () => monitored({ alerts: { errorRatio: 5 } }), [/alerts.errorRatio 5 is invalid/]],
  ['a runbook URL that Prometheus would expand as a template', () => monitored({ alerts: { runbookUrl: 'https://runbooks.example.com/{{ .Labels.x }}' } }),
    [/alerts\.runbookUrl "https:\/\/runbooks\.example\.com\/\{\{ \.Labels\.x \}\}" is invalid: use an http\(s\) URL/]],
  ['a runbook URL template with a placeholder other than {alert}', () => monitored({ alerts: { runbookUrl: 'https://runbooks.example.com/{service}' } }),
    [/alerts\.runbookUrl "https:\/\/runbooks\.example\.com\/\{service\}" is invalid: .*braces other than the \{alert\} placeholder/]],
  ['a severity that is not a label value', () => monitored({ alerts: { severities: { page: 'page me' } } }),
    [/alerts\.severities\.page "page me" is invalid: use a label value/]],
  ['a monitored workload that is not in a mesh and gives no metrics port', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'legacy:1.0.0' }] });
    new MonitoredWorkload(chart, 'monitoring', { deployment });
    return chart;
  }, [/\[test\/monitoring\] a workload outside the mesh has no sidecar metrics/]],
  ['duplicate rule names: two MonitoredWorkloads for one service', () => {
    const chart = monitored({});
    const orders = chart.node.findChild('orders') as MeshService;
    new MonitoredWorkload(chart, 'again', { service: orders });
    return chart;
  }, [/2 MonitoredWorkloads monitor this service \(test\/monitoring, test\/again\): their rules would have duplicate names/]],
  ['monitor labels that are not Kubernetes labels', () => monitored({ monitorLabels: { 'a b': 'c' } }),
    [/\[test\/monitoring\] monitorLabels label key "a b" is invalid: use \[prefix\/\]name/]],
  ['a monitor label value with a line break', () => monitored({ monitorLabels: { team: 'c\nd' } }),
    [/\[test\/monitoring\] monitorLabels label team: value "c\\nd" is invalid/]],
];
