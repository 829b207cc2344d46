/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per
 * function, self time per area (this library's src/ files, cdk8s, its bundled
 * yaml, cdk8s-plus-27, constructs, node, GC), and inclusive time of src/
 * functions. Lines of src/ functions are mapped back to the TypeScript
 * sources through the compiled files' inline source maps.
 *
 * Standalone: npx ts-node --transpile-only bench/cpuprofile.ts <file.cpuprofile> [top]
 */
import * as fs from 'fs';
import * as path from 'path';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface FunctionTime {
  readonly key: string;
  readonly functionName: string;
  readonly location: string;
  readonly area: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: FunctionTime[];
  readonly areas: { area: string; selfMs: number }[];
}

/** Which part of the stack a frame belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return functionName;
  const file = url.replace(/^file:\/\//, '');
  const src = /\/src\/(.+)\.js$/.exec(file);
  if (src && !file.includes('/node_modules/')) return `cdk8s-mesh src/${src[1]}.ts`;
  if (/\/bench\/[^/]+\.js$/.test(file) && !file.includes('/node_modules/')) return 'bench harness';
  if (file.includes('/node_modules/cdk8s/node_modules/yaml/')) return 'yaml (bundled in cdk8s)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (pkg) return pkg[1];
  if (file.startsWith('node:') || file === '') return 'node / V8 builtins';
  return file;
}

/** `{ line, file }` in the TypeScript source of a compiled src/ or bench/ file, when its inline source map says so. */
function originalPosition(url: string, line0: number, column0: number): string | undefined {
  const file = url.replace(/^file:\/\//, '');
  if (!/\/(src|bench)\/.+\.js$/.test(file) || file.includes('/node_modules/') || !fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(text);
  if (!match) return undefined;
  try {
    const map = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'));
    const { SourceMap } = require('module') as { SourceMap: new (payload: object) => { findEntry(l: number, c: number): any } };
    const entry = new SourceMap(map).findEntry(line0, column0);
    if (!entry || entry.originalLine === undefined) return undefined;
    const source = path.normalize(path.join(path.dirname(file), entry.originalSource ?? map.sources[0]));
    const rel = /\/((?:src|bench)\/.+\.ts)$/.exec(source.replace(/^file:\/\//, ''))?.[1] ?? source;
    return `${rel}:${entry.originalLine + 1}`;
  } catch {
    return undefined;
  }
}

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const keyOf = (n: ProfileNode) => `${n.callFrame.functionName}|${n.callFrame.url}|${n.callFrame.lineNumber}|${n.callFrame.columnNumber}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const frames = new Map<string, CallFrame>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    const leaf = byId.get(id)!;
    const leafKey = keyOf(leaf);
    frames.set(leafKey, leaf.callFrame);
    self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = parent.has(n.id) ? byId.get(parent.get(n.id)!) : undefined) {
      const k = keyOf(n);
      frames.set(k, n.callFrame);
      if (seen.has(k)) continue; // recursion counts once
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
  });

  const functions: FunctionTime[] = [...frames.entries()].map(([key, cf]) => {
    const jsLocation = `${cf.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '')}:${cf.lineNumber + 1}`;
    return {
      key,
      functionName: cf.functionName || '(anonymous)',
      location: originalPosition(cf.url, cf.lineNumber, cf.columnNumber) ?? jsLocation,
      area: areaOf(cf.url, cf.functionName),
      selfMs: (self.get(key) ?? 0) / 1000,
      totalMs: (total.get(key) ?? 0) / 1000,
    };
  });
  const areas = new Map<string, number>();
  for (const f of functions) areas.set(f.area, (areas.get(f.area) ?? 0) + f.selfMs);
  return {
    totalMs: totalUs / 1000,
    functions,
    areas: [...areas.entries()].map(([area, selfMs]) => ({ area, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** Self time per coarse area (src/ files merged) of two profiles, side by side. */
export function compareAreasMarkdown(names: [string, string], a: ProfileSummary, b: ProfileSummary): string {
  const coarse = (area: string) => area.startsWith('cdk8s-mesh ') ? 'cdk8s-mesh src/ (all files)' : area;
  const sum = (s: ProfileSummary) => {
    const m = new Map<string, number>();
    for (const x of s.areas) m.set(coarse(x.area), (m.get(coarse(x.area)) ?? 0) + x.selfMs);
    return m;
  };
  const [ma, mb] = [sum(a), sum(b)];
  const areas = [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => (ma.get(y) ?? 0) - (ma.get(x) ?? 0));
  const lines = [`| area | ${names[0]} self ms | ${names[1]} self ms | difference ms |`, '| --- | ---: | ---: | ---: |'];
  for (const area of areas) {
    const [x, y] = [ma.get(area) ?? 0, mb.get(area) ?? 0];
    if (x < 1 && y < 1) continue;
    lines.push(`| ${area} | ${x.toFixed(0)} | ${y.toFixed(0)} | ${(x - y >= 0 ? '+' : '')}${(x - y).toFixed(0)} |`);
  }
  lines.push(`| **total sampled** | ${a.totalMs.toFixed(0)} | ${b.totalMs.toFixed(0)} | ${(a.totalMs - b.totalMs >= 0 ? '+' : '')}${(a.totalMs - b.totalMs).toFixed(0)} |`);
  return lines.join('\n');
}

/** Markdown tables of a summary. */
export function profileMarkdown(title: string, s: ProfileSummary, top = 25): string {
  const pct = (ms: number) => `${(100 * ms / s.totalMs).toFixed(1)}%`;
  const own = s.areas.filter(a => a.area.startsWith('cdk8s-mesh ')).reduce((sum, a) => sum + a.selfMs, 0);
  const lines = [`#### ${title} (${s.totalMs.toFixed(0)} ms sampled)`, ''];
  if (own > 0) lines.push(`Self time in cdk8s-mesh src/ (all files): ${own.toFixed(0)} ms, ${pct(own)} of the samples.`, '');
  lines.push('Self time by area:', '', '| area | self ms | share |', '| --- | ---: | ---: |');
  for (const a of s.areas.slice(0, 14)) lines.push(`| ${a.area} | ${a.selfMs.toFixed(0)} | ${pct(a.selfMs)} |`);
  lines.push('', `Top ${top} functions by self time:`, '', '| function | location | area | self ms | self % | total ms |', '| --- | --- | --- | ---: | ---: | ---: |');
  for (const f of [...s.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    lines.push(`| \`${f.functionName}\` | ${f.location} | ${f.area} | ${f.selfMs.toFixed(0)} | ${pct(f.selfMs)} | ${f.totalMs.toFixed(0)} |`);
  }
  const ownFunctions = s.functions.filter(f => f.area.startsWith('cdk8s-mesh src/')).sort((a, b) => b.totalMs - a.totalMs).slice(0, 20);
  lines.push('', 'cdk8s-mesh src/ functions by inclusive time (time on the stack, callees included):', '',
    '| function | location | total ms | total % | self ms |', '| --- | --- | ---: | ---: | ---: |');
  for (const f of ownFunctions) lines.push(`| \`${f.functionName}\` | ${f.location} | ${f.totalMs.toFixed(0)} | ${pct(f.totalMs)} | ${f.selfMs.toFixed(0)} |`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpuprofile.ts <file.cpuprofile> [top]');
  console.log(profileMarkdown(path.basename(file), summarizeProfile(file), top ? Number(top) : 25));
}
