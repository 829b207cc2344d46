import { selectorOf } from './security';
import { ServiceEntrySpec, SidecarSpec, TelemetrySpec } from './types';
import { SERVICE_LABEL } from '../../model/labels';

/**
 * The hosts a service's proxy knows, as a static sidecar knows only its
 * declared upstreams (`~/*`: none). Hosts are `<namespace>/<name>`, Istio's
 * Sidecar egress format. Other destinations pass through unproxied, as an
 * application skipping a static sidecar would reach them.
 */
export function renderSidecarScope(service: string, hosts: string[]): SidecarSpec {
  return {
    workloadSelector: { labels: { [SERVICE_LABEL]: service } },
    egress: [{ hosts: hosts.length > 0 ? [...new Set(hosts)].sort() : ['~/*'] }],
    outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
  };
}

/** Tracing and access logs of a service's proxy, stated either way so Istio's mesh-wide defaults cannot change them. */
export function renderTelemetry(
  service: string, tracing: { provider: string; samplingPercent: number } | undefined, accessLogs: boolean,
): TelemetrySpec {
  return {
    selector: selectorOf(service),
    tracing: [tracing
      ? { providers: [{ name: tracing.provider }], randomSamplingPercentage: tracing.samplingPercent }
      : { disableSpanReporting: true }],
    accessLogging: [{ providers: [{ name: 'envoy' }], disabled: !accessLogs }],
  };
}

/**
 * A host outside the cluster under the name the application calls
 * (`<name>.<namespace>.svc.<domain>`, which Istio's DNS proxy answers for
 * the short name in the namespace), reached at `host`; the application
 * speaks plaintext and the proxy originates TLS where a DestinationRule says
 * so. Visible in its own namespace only, like a rule of it.
 */
export function renderServiceEntry(name: string, host: string, port: number, targetPort: number, protocol: string): ServiceEntrySpec {
  return {
    hosts: [name],
    ports: [{ number: port, name: `${protocol.toLowerCase()}-${port}`, protocol, ...(targetPort !== port && { targetPort }) }],
    location: 'MESH_EXTERNAL',
    resolution: 'DNS',
    endpoints: [{ address: host }],
    exportTo: ['.'],
  };
}
