import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The files of a csi-driver-spiffe volume laid out on disk as the driver lays
 * them out, and read as a container's process would read them.
 *
 * The driver (root) writes through cert-manager/csi-lib `storage/filesystem.go`:
 * the volume's data directory is created 0550 (`ensureVolumeDirectory`), each
 * file 0440 (`readOnlyUserAndGroupFileMode`), all owned by root; only when a
 * group is known (`fsGroupForMetadata`: the volume attribute
 * `spiffe.csi.cert-manager.io/fs-group`, else the pod's fsGroup passed as
 * VolumeMountGroup) are the directory and the files chowned to it
 * (`WriteFiles`). Files sit in a timestamped directory (0755) behind `..data`,
 * as Kubernetes' atomic writer makes them (`pkg/volume/util/atomic_writer.go`).
 */

const FS_GROUP_ATTRIBUTE = 'spiffe.csi.cert-manager.io/fs-group';
const FILES = ['tls.crt', 'tls.key', 'ca.crt'];

/** The group the driver gives the volume's files, per csi-lib's `fsGroupForMetadata`; undefined when it leaves them to root. */
export function driverFsGroup(csiVolume: any, pod: any): number | undefined {
  const fromAttribute = csiVolume.csi.volumeAttributes?.[FS_GROUP_ATTRIBUTE];
  const group = fromAttribute ?? pod.securityContext?.fsGroup;
  if (group === undefined || group === '') return undefined;
  const gid = Number(group);
  if (!Number.isInteger(gid) || gid <= 0 || gid > 4294967295) throw new Error(`the driver refuses the volume: ${FS_GROUP_ATTRIBUTE}=${group}`);
  return gid;
}

/** Writes a volume's data directory as the driver does; returns the directory the pod mounts. */
export function layOutVolume(fsGroup: number | undefined): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-spiffe-'));
  fs.chmodSync(root, 0o755);
  const data = path.join(root, 'data');
  fs.mkdirSync(data, { mode: 0o550 });
  fs.chmodSync(data, 0o550);
  const stamped = path.join(data, '..2026_01_01_00_00_00.1');
  fs.mkdirSync(stamped);
  fs.chmodSync(stamped, 0o755);
  for (const file of FILES) {
    fs.writeFileSync(path.join(stamped, file), `${file}\n`);
    fs.chmodSync(path.join(stamped, file), 0o440);
    if (fsGroup !== undefined) fs.chownSync(path.join(stamped, file), 0, fsGroup);
  }
  if (fsGroup !== undefined) fs.chownSync(data, 0, fsGroup);
  fs.symlinkSync(path.basename(stamped), path.join(data, '..data'));
  for (const file of FILES) fs.symlinkSync(path.join('..data', file), path.join(data, file));
  return data;
}

/** The user, group and supplementary groups the kubelet runs a container's process with. */
export function processIdentity(container: any, pod: any): { uid: number; gid: number; groups: number[] } {
  const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const gid = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
  if (uid === undefined || gid === undefined) throw new Error(`container ${container.name} sets no runAsUser/runAsGroup`);
  const groups = [pod.securityContext?.fsGroup, ...(pod.securityContext?.supplementalGroups ?? [])].filter(g => g !== undefined);
  return { uid, gid, groups };
}

/**
 * Whether a process of that identity can read the file. As root (CI runs as
 * root), the kernel answers: `cat` runs under setpriv with the identity.
 * Otherwise the same POSIX rule is applied to the files' modes.
 */
export function canRead(file: string, identity: { uid: number; gid: number; groups: number[] }): boolean {
  if (process.getuid?.() === 0) {
    const groups = identity.groups.length > 0 ? [`--groups=${identity.groups.join(',')}`] : ['--clear-groups'];
    try {
      execFileSync('setpriv', [`--reuid=${identity.uid}`, `--regid=${identity.gid}`, ...groups, 'cat', file], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  }
  /** The rwx triplet that applies to the identity: owner's, group's or others' (octal digits 2, 1, 0 of the mode). */
  const triplet = (target: string) => {
    const stat = fs.statSync(target);
    const digit = stat.uid === identity.uid ? 2 : [identity.gid, ...identity.groups].includes(stat.gid) ? 1 : 0;
    return Math.floor(stat.mode / 8 ** digit) % 8;
  };
  const readable = (target: string) => triplet(target) >= 4;
  const searchable = (target: string) => triplet(target) % 2 === 1;
  const real = fs.realpathSync(file);
  const dirs: string[] = [];
  for (let dir = path.dirname(real); dir !== path.dirname(dir); dir = path.dirname(dir)) dirs.push(dir);
  return dirs.every(searchable) && readable(real);
}
