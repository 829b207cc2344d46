/**
 * Pod Security Standards, "restricted" profile (which includes "baseline"),
 * checked on pod specs of synthesized manifests.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * Where policy versions differ, the strictest choice is made, so that a pod
 * passing here is admitted by Pod Security Admission at `restricted` for every
 * policy version from v1.29 (the API version targeted) to the latest:
 * - safe sysctls are the v1.29 set (v1.32 adds net.ipv4.tcp_rmem/tcp_wmem);
 * - the SELinux type `container_engine_t` (allowed from v1.31) is rejected;
 * - `image` volumes (allowed under restricted from v1.33) are rejected;
 * - the v1.34 check on probe / lifecycle-hook `host` fields is applied;
 * - the v1.35 relaxation of runAsNonRoot / runAsUser for pods with
 *   `hostUsers: false` is NOT applied;
 * - the Windows exemptions (spec.os.name = windows; allowPrivilegeEscalation,
 *   seccomp and restricted capabilities) are applied, as in every version >= v1.25.
 *
 * Messages use the check names of Pod Security Admission, e.g.
 * `Deployment/web spec.template.spec: privileged: container "app" must not set securityContext.privileged=true`.
 */

/** A pod spec found in a manifest, with the pod template metadata when present. */
export interface PodSpecLocation {
  readonly where: string;
  readonly spec: any;
  readonly metadata?: any;
}

/**
 * Returns the pod specs of Pods, PodTemplates and workload kinds (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob).
 */
export function podSpecsOf(manifest: any): PodSpecLocation[] {
  if (!manifest || typeof manifest !== 'object') return [];
  const id = `${manifest.kind}/${manifest.metadata?.name ?? manifest.metadata?.generateName ?? '<no name>'}`;
  const at = (where: string, template: any): PodSpecLocation[] =>
    template?.spec && typeof template.spec === 'object'
      ? [{ where: `${id} ${where}.spec`, spec: template.spec, metadata: template.metadata }]
      : [];
  switch (manifest.kind) {
    case 'Pod':
      return manifest.spec ? [{ where: `${id} spec`, spec: manifest.spec, metadata: manifest.metadata }] : [];
    case 'PodTemplate':
      return at('template', manifest.template);
    case 'CronJob':
      return at('spec.jobTemplate.spec.template', manifest.spec?.jobTemplate?.spec?.template);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return at('spec.template', manifest.spec?.template);
    default:
      return [];
  }
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const ALLOWED_PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost']);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

interface ContainerRef {
  readonly label: string; // e.g. container "app"
  readonly c: any;
}

function containersOf(spec: any): ContainerRef[] {
  const result: ContainerRef[] = [];
  for (const [list, noun] of [['initContainers', 'initContainer'], ['containers', 'container'], ['ephemeralContainers', 'ephemeralContainer']]) {
    const items = Array.isArray(spec[list]) ? spec[list] : [];
    items.forEach((c: any, i: number) => result.push({ label: `${noun} ${JSON.stringify(c?.name ?? `#${i}`)}`, c: c ?? {} }));
  }
  return result;
}

/**
 * Checks a pod spec against the restricted Pod Security Standard (including
 * baseline). `podMetadata` enables the AppArmor annotation check.
 */
export function checkRestrictedPodSecurity(podSpec: any, where = 'pod spec', podMetadata?: any): string[] {
  if (!podSpec || typeof podSpec !== 'object') return [`${where}: not a pod spec`];
  const errors: string[] = [];
  const fail = (check: string, detail: string) => errors.push(`${where}: ${check}: ${detail}`);
  const psc = podSpec.securityContext ?? {};
  const containers = containersOf(podSpec);
  const windows = podSpec.os?.name === 'windows';

  // --- baseline -----------------------------------------------------------

  // HostProcess
  if (psc.windowsOptions?.hostProcess === true) fail('hostProcess', 'pod must not set securityContext.windowsOptions.hostProcess=true');
  for (const { label, c } of containers) {
    if (c.securityContext?.windowsOptions?.hostProcess === true) {
      fail('hostProcess', `${label} must not set securityContext.windowsOptions.hostProcess=true`);
    }
  }

  // Host namespaces
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[f] === true) fail('host namespaces', `pod must not set ${f}=true`);
  }

  // Privileged containers
  for (const { label, c } of containers) {
    if (c.securityContext?.privileged === true) fail('privileged', `${label} must not set securityContext.privileged=true`);
  }

  // Capabilities: restricted (drop ALL, add only NET_BIND_SERVICE) replaces the
  // baseline allow-list, except for Windows pods, which only get the baseline check.
  // Names are compared literally, as PSA does: 'CAP_NET_ADMIN' is not 'NET_ADMIN'.
  for (const { label, c } of containers) {
    const caps = c.securityContext?.capabilities ?? {};
    const add: any[] = Array.isArray(caps.add) ? caps.add : [];
    if (windows) {
      const notBaseline = add.filter(x => !BASELINE_CAPABILITIES.has(x));
      if (notBaseline.length) fail('capabilities', `${label} must not add ${notBaseline.join(', ')} (beyond the baseline set)`);
      continue;
    }
    const drop: any[] = Array.isArray(caps.drop) ? caps.drop : [];
    if (!drop.includes('ALL')) fail('unrestricted capabilities', `${label} must set securityContext.capabilities.drop=["ALL"]`);
    const notRestricted = add.filter(x => x !== 'NET_BIND_SERVICE');
    if (notRestricted.length) {
      fail('unrestricted capabilities', `${label} must not add ${notRestricted.join(', ')} (only NET_BIND_SERVICE may be added)`);
    }
  }

  // HostPath volumes and restricted volume types
  const volumes: any[] = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  volumes.forEach((v, i) => {
    const name = JSON.stringify(v?.name ?? `#${i}`);
    if (v?.hostPath != null) fail('hostPath volumes', `volume ${name} must not use hostPath`);
    const sources = Object.keys(v ?? {}).filter(k => k !== 'name' && v[k] != null);
    const bad = sources.filter(k => k !== 'hostPath' && !RESTRICTED_VOLUME_SOURCES.has(k));
    if (bad.length) fail('restricted volume types', `volume ${name} uses ${bad.join(', ')} (allowed: ${[...RESTRICTED_VOLUME_SOURCES].join(', ')})`);
  });

  // Host ports
  for (const { label, c } of containers) {
    for (const p of Array.isArray(c.ports) ? c.ports : []) {
      if (p?.hostPort) fail('hostPort', `${label} must not set hostPort (got ${p.hostPort})`);
    }
  }

  // AppArmor: field and (deprecated) annotation
  const apparmorType = (sc: any) => sc?.appArmorProfile?.type;
  if (apparmorType(psc) !== undefined && !ALLOWED_PROFILE_TYPES.has(apparmorType(psc))) {
    fail('appArmorProfile', `pod must not set securityContext.appArmorProfile.type=${JSON.stringify(apparmorType(psc))}`);
  }
  for (const { label, c } of containers) {
    const t = apparmorType(c.securityContext);
    if (t !== undefined && !ALLOWED_PROFILE_TYPES.has(t)) {
      fail('appArmorProfile', `${label} must not set securityContext.appArmorProfile.type=${JSON.stringify(t)}`);
    }
  }
  for (const [k, v] of Object.entries<any>(podMetadata?.annotations ?? {})) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || String(v).startsWith('localhost/'))) {
      fail('appArmorProfile', `annotation ${k}=${JSON.stringify(v)} is not runtime/default or localhost/*`);
    }
  }

  // SELinux
  const checkSeLinux = (who: string, o: any) => {
    if (!o) return;
    if (o.type !== undefined && !SELINUX_TYPES.has(o.type)) {
      fail('seLinuxOptions', `${who} must not set seLinuxOptions.type=${JSON.stringify(o.type)}`);
    }
    for (const f of ['user', 'role']) {
      if (o[f] !== undefined && o[f] !== '') fail('seLinuxOptions', `${who} must not set seLinuxOptions.${f}`);
    }
  };
  checkSeLinux('pod', psc.seLinuxOptions);
  for (const { label, c } of containers) checkSeLinux(label, c.securityContext?.seLinuxOptions);

  // /proc mount type
  for (const { label, c } of containers) {
    const pm = c.securityContext?.procMount;
    if (pm !== undefined && pm !== 'Default') fail('procMount', `${label} must not set securityContext.procMount=${JSON.stringify(pm)}`);
  }

  // Sysctls
  for (const s of Array.isArray(psc.sysctls) ? psc.sysctls : []) {
    if (!SAFE_SYSCTLS.has(s?.name)) fail('forbidden sysctls', `${JSON.stringify(s?.name)} is not in the safe set`);
  }

  // Probe and lifecycle-hook hosts
  for (const { label, c } of containers) {
    const handlers = [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.postStart, c.lifecycle?.preStop];
    for (const h of handlers) {
      for (const action of [h?.httpGet, h?.tcpSocket]) {
        if (action?.host) fail('probe or lifecycle host', `${label} must not set host ${JSON.stringify(action.host)}`);
      }
    }
  }

  // --- restricted ---------------------------------------------------------

  // Privilege escalation
  if (!windows) {
    for (const { label, c } of containers) {
      if (c.securityContext?.allowPrivilegeEscalation !== false) {
        fail('allowPrivilegeEscalation != false', `${label} must set securityContext.allowPrivilegeEscalation=false`);
      }
    }
  }

  // Running as non-root
  if (psc.runAsNonRoot === false) fail('runAsNonRoot != true', 'pod must not set securityContext.runAsNonRoot=false');
  for (const { label, c } of containers) {
    const v = c.securityContext?.runAsNonRoot;
    if (v === false) {
      fail('runAsNonRoot != true', `${label} must not set securityContext.runAsNonRoot=false`);
    } else if (v !== true && psc.runAsNonRoot !== true) {
      fail('runAsNonRoot != true', `pod or ${label} must set securityContext.runAsNonRoot=true`);
    }
  }

  // Running as non-root user
  if (psc.runAsUser === 0) fail('runAsUser=0', 'pod must not set runAsUser=0');
  for (const { label, c } of containers) {
    if (c.securityContext?.runAsUser === 0) fail('runAsUser=0', `${label} must not set runAsUser=0`);
  }

  // Seccomp: never Unconfined (baseline); RuntimeDefault or Localhost on the pod or every container (restricted)
  const seccomp = (sc: any) => sc?.seccompProfile?.type;
  const podSeccomp = seccomp(psc);
  if (podSeccomp !== undefined && !ALLOWED_PROFILE_TYPES.has(podSeccomp)) {
    fail('seccompProfile', `pod must not set securityContext.seccompProfile.type=${JSON.stringify(podSeccomp)}`);
  }
  for (const { label, c } of containers) {
    const t = seccomp(c.securityContext);
    if (t !== undefined && !ALLOWED_PROFILE_TYPES.has(t)) {
      fail('seccompProfile', `${label} must not set securityContext.seccompProfile.type=${JSON.stringify(t)}`);
    } else if (t === undefined && !windows && !ALLOWED_PROFILE_TYPES.has(podSeccomp)) {
      fail('seccompProfile', `pod or ${label} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    }
  }

  return errors;
}
