import { isIP } from 'net';
import { failoverOptionProblems } from '../failover/failover-checks';
import { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { invalidDnsLabel, isDnsName, isIpv4Cidr, isPort, localHostProblem } from '../value-checks';

/** Problems of each service outside the mesh: its name, endpoint and failover settings. */
export function externalServiceChecks(model: MeshModel): Problem[] {
  return model.externals.flatMap(external => {
    const errors: string[] = [];
    const endpoint = external._endpoint;
    const nameError = invalidDnsLabel(external.name);
    if (nameError) errors.push(`name ${nameError}`);
    if (!isPort(external.port)) errors.push(`port ${external.port} is not a valid port: use an integer from 1 to 65535`);
    if (endpoint.service) {
      for (const [what, value] of [['Service name', endpoint.service.name], ['Service namespace', endpoint.service.namespace]]) {
        const problem = invalidDnsLabel(value);
        if (problem) errors.push(`${what} ${problem}`);
      }
      if (!isPort(endpoint.port)) {
        errors.push(`Service ${endpoint.service.name} has no port ${endpoint.port}: give the Service a port, or pass the port to ExternalEndpoint.service()`);
      }
    } else {
      if (!isDnsName(endpoint.host) && isIP(endpoint.host) === 0) {
        errors.push(`host '${endpoint.host}' is neither a DNS name nor an IP address: give the host name alone, without scheme, port or path`);
      }
      if (!isPort(endpoint.port)) errors.push(`endpoint port ${endpoint.port} is not a valid port: use an integer from 1 to 65535`);
      if (endpoint.host === external.name) {
        // Callers' pods resolve the name to their own sidecar (host aliases), which would then send to itself.
        errors.push(`host '${endpoint.host}' is also the name applications call it by, which resolves to their own sidecar: give the ExternalService another name`);
      }
      errors.push(...endpoint.cidrs.filter(cidr => !isIpv4Cidr(cidr)).map(cidr => `cidrs: '${cidr}' is not an IPv4 CIDR block such as 203.0.113.0/24`));
      if (endpoint.cidrs.length > 0 && !external.mesh.restrictEgress) {
        errors.push(`cidrs ${endpoint.cidrs.join(', ')} are read only by restrictEgress NetworkPolicies, which the mesh does not write: `
          + 'set restrictEgress: true on the mesh, or remove cidrs');
      }
      const local = localHostProblem(endpoint.host);
      if (local) errors.push(local);
    }
    errors.push(...failoverOptionProblems(external.failover, external));
    if (external.failover.backup?.backupService) {
      errors.push(`backup ${external.failover.backup.description}: a service outside the mesh can fail over only to another host (Backup.host())`);
    }
    return problemsAt(external.node.path, errors);
  });
}
