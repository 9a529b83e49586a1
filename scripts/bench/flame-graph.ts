// Flame graphs (SVG) and a phase table from a V8 .cpuprofile, one per busy stretch of the process.
//
//   node -r ./test/support/register-ts.js scripts/bench/flame-graph.ts prof/service-jobs.cpuprofile docs/perf \
//     --windows prof/service-jobs.jobs.json [--prefix after]
//
// The bench profiles the service over the whole jobs step (`npm run bench -- --only jobs --cpu-prof prof/`)
// and writes each job's window (command → succeeded, on the profile's clock) to <service>.jobs.json.
// Each window is written as <prefix>-<name>.svg, with a table of where its CPU time went by phase (the
// same table is printed). Without --windows: the busy stretches (no idle gap of --gap-ms or more) longer
// than --min-ms, named in order by --names.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface Segment {
  readonly from: number;
  readonly to: number;
}

/** Phases, first match wins: a sample's phase is the first rule any frame of its stack matches. */
const PHASES: readonly { readonly name: string; readonly match: (f: CallFrame) => boolean }[] = [
  { name: 'garbage collection', match: (f) => f.functionName === '(garbage collector)' },
  { name: 'schema check (ajv)', match: (f) => /event-registry/.test(f.url) && f.functionName === 'check' },
  {
    name: 'SQLite append',
    match: (f) => /sqlite\.event-store/.test(f.url) && /^(appendMany|appendOne|write)$/.test(f.functionName),
  },
  { name: 'read models save', match: (f) => /read-model-saver|read-model\.store/.test(f.url) },
  {
    name: 'read back from SQLite',
    match: (f) =>
      /sqlite\.event-store|polling-subscription/.test(f.url) && /readAll|recordedEvents/.test(f.functionName),
  },
  { name: 'fold into read models', match: (f) => /projection-runner\.js/.test(f.url) && /^apply/.test(f.functionName) },
  { name: 'deterministic ids (SHA-1)', match: (f) => f.functionName === 'deterministicId' },
  {
    name: 'decide',
    match: (f) =>
      /src\/domain\//.test(f.url) ||
      (/command-executor/.test(f.url) && /decideAndAppend|handOver/.test(f.functionName)),
  },
  { name: 'job (fold audit rows, prepare pages)', match: (f) => /src\/jobs\//.test(f.url) },
  {
    name: 'Microsoft read (HTTP, TLS, JSON, validation)',
    match: (f) => /src\/connectors\/|src\/microsoft\/|axios|node:_tls|node:_http|node:https|node:net|msal/.test(f.url),
  },
  { name: 'V8 and runtime (program)', match: (f) => f.functionName === '(program)' },
];
const OTHER = 'other';

function main(): void {
  const [file, outDir, ...rest] = process.argv.slice(2);
  if (!file || !outDir) {
    console.error(
      'usage: flame-graph.ts <file.cpuprofile> <out dir> [--names a,b,c] [--gap-ms N] [--min-ms N] [--prefix p]',
    );
    process.exit(2);
  }
  const option = (name: string, fallback: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : fallback;
  };
  const names = option('names', '').split(',').filter(Boolean);
  const gapMs = Number(option('gap-ms', '1500'));
  const minMs = Number(option('min-ms', '1000'));
  const top = Number(option('top', '0'));
  const prefix = option('prefix', basename(file).replace(/\.cpuprofile$/, ''));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const flame = new Profile(profile);
  const windowsFile = option('windows', '');
  // With --windows (the <service>.jobs.json the jobs step writes beside the profile): each job from
  // its command to its success; otherwise the busy stretches.
  const windows = windowsFile
    ? (JSON.parse(readFileSync(windowsFile, 'utf8')) as { name: string; fromUs: number; toUs: number }[])
    : null;
  if (windows) names.splice(0, names.length, ...windows.map((w) => w.name));
  const segments = windows
    ? windows.map((w) => ({ from: (w.fromUs - profile.startTime) / 1000, to: (w.toUs - profile.startTime) / 1000 }))
    : flame.busySegments(gapMs).filter((s) => s.to - s.from >= minMs);
  const lines: string[] = [];
  segments.forEach((segment, i) => {
    const name = names[i] ?? `segment-${i + 1}`;
    const svg = join(outDir, `${prefix}-${name}.svg`);
    const { svg: text, phases, busyMs } = flame.render(segment, `${prefix}: ${name}`);
    writeFileSync(svg, text);
    lines.push(
      `${name}: ${((segment.to - segment.from) / 1000).toFixed(2)} s wall from ${(segment.from / 1000).toFixed(1)} s, ${(busyMs / 1000).toFixed(2)} s CPU → ${svg}`,
    );
    for (const [fn, ms] of flame.topSelf(segment, top))
      lines.push(`  self ${(ms / 1000).toFixed(2).padStart(6)} s  ${fn}`);
    for (const [phase, ms] of phases)
      lines.push(
        `  ${phase.padEnd(46)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${((100 * ms) / busyMs).toFixed(0).padStart(3)} %`,
      );
  });
  console.log(lines.join('\n'));
}

class Profile {
  private readonly parent = new Map<number, number>();
  private readonly byId = new Map<number, ProfileNode>();
  /** Sample times (ms from the start) and the time each sample stands for. */
  private readonly times: number[] = [];
  private readonly weights: number[] = [];

  constructor(private readonly profile: CpuProfile) {
    for (const node of profile.nodes) {
      this.byId.set(node.id, node);
      for (const child of node.children ?? []) this.parent.set(child, node.id);
    }
    let t = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i] / 1000;
      this.times.push(t);
    }
    for (let i = 0; i < this.times.length; i++)
      this.weights.push(i + 1 < this.times.length ? this.times[i + 1] - this.times[i] : 0);
  }

  private idle(i: number): boolean {
    return this.byId.get(this.profile.samples[i])!.callFrame.functionName === '(idle)';
  }

  /** Stretches of samples with no idle run of gapMs or more inside. */
  busySegments(gapMs: number): Segment[] {
    const segments: Segment[] = [];
    let start: number | null = null;
    let lastBusy = 0;
    for (let i = 0; i < this.times.length; i++) {
      if (this.idle(i)) continue;
      const t = this.times[i];
      if (start === null) start = t;
      else if (t - lastBusy >= gapMs) {
        segments.push({ from: start, to: lastBusy });
        start = t;
      }
      lastBusy = t;
    }
    if (start !== null) segments.push({ from: start, to: lastBusy });
    return segments;
  }

  /** The functions with the most self time in the segment. */
  topSelf(segment: Segment, count: number): [string, number][] {
    const self = new Map<string, number>();
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i];
      if (t < segment.from || t > segment.to || this.idle(i)) continue;
      const name = label(this.byId.get(this.profile.samples[i])!.callFrame);
      self.set(name, (self.get(name) ?? 0) + this.weights[i]);
    }
    return [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  }

  private stack(nodeId: number): CallFrame[] {
    const frames: CallFrame[] = [];
    for (let id: number | undefined = nodeId; id !== undefined; id = this.parent.get(id)) {
      const frame = this.byId.get(id)!.callFrame;
      if (frame.functionName !== '(root)') frames.push(frame);
    }
    return frames.reverse();
  }

  render(segment: Segment, title: string): { svg: string; phases: [string, number][]; busyMs: number } {
    const root: Tree = { name: 'all', ms: 0, children: new Map() };
    const phases = new Map<string, number>();
    const stacks = new Map<number, CallFrame[]>();
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i];
      if (t < segment.from || t > segment.to || this.idle(i)) continue;
      const nodeId = this.profile.samples[i];
      let stack = stacks.get(nodeId);
      if (!stack) stacks.set(nodeId, (stack = this.stack(nodeId)));
      const ms = this.weights[i];
      root.ms += ms;
      let tree = root;
      for (const frame of stack) {
        const name = label(frame);
        let child = tree.children.get(name);
        if (!child) tree.children.set(name, (child = { name, ms: 0, children: new Map() }));
        child.ms += ms;
        tree = child;
      }
      const phase = PHASES.find((p) => stack.some(p.match))?.name ?? OTHER;
      phases.set(phase, (phases.get(phase) ?? 0) + ms);
    }
    const ordered = [...phases].sort((a, b) => b[1] - a[1]);
    return { svg: svgOf(root, title, ordered), phases: ordered, busyMs: root.ms };
  }
}

interface Tree {
  readonly name: string;
  ms: number;
  readonly children: Map<string, Tree>;
}

function label(frame: CallFrame): string {
  // A build copied aside to profile an older commit (.dist-base) reads as dist/ too.
  const file = frame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, 'node_modules/')
    .replace(/^.*\/\.?dist(-[a-z0-9]+)?\//, 'dist/');
  const fn = frame.functionName || '(anonymous)';
  return file ? `${fn} ${file}:${frame.lineNumber + 1}` : fn;
}

const WIDTH = 1600;
const ROW = 16;

function svgOf(root: Tree, title: string, phases: [string, number][]): string {
  let depth = 0;
  const rects: string[] = [];
  const minMs = root.ms / WIDTH / 2;
  const walk = (tree: Tree, x: number, level: number) => {
    depth = Math.max(depth, level);
    const width = (tree.ms / root.ms) * WIDTH;
    rects.push(
      `<g><title>${escape(tree.name)} — ${tree.ms.toFixed(0)} ms (${((100 * tree.ms) / root.ms).toFixed(1)} %)</title>` +
        `<rect x="${x.toFixed(1)}" y="{Y${level}}" width="${Math.max(width - 0.5, 0.5).toFixed(1)}" height="${ROW - 1}" fill="${colour(tree.name)}"/>` +
        (width > 40 ? `<text x="${(x + 3).toFixed(1)}" y="{T${level}}">${escape(fit(tree.name, width))}</text>` : '') +
        '</g>',
    );
    let offset = x;
    for (const child of [...tree.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (child.ms < minMs) continue;
      walk(child, offset, level + 1);
      offset += (child.ms / root.ms) * WIDTH;
    }
  };
  walk(root, 0, 0);
  const header = 40 + phases.length * 14;
  const height = header + (depth + 1) * ROW + 10;
  // Root at the bottom, callers below callees (a flame graph).
  const y = (level: number) => height - 10 - (level + 1) * ROW;
  const body = rects
    .map((r) =>
      r
        .replace(/\{Y(\d+)\}/, (_, l) => String(y(Number(l))))
        .replace(/\{T(\d+)\}/, (_, l) => String(y(Number(l)) + 11)),
    )
    .join('\n');
  const legend = phases
    .map(
      ([phase, ms], i) =>
        `<text x="10" y="${40 + i * 14}">${escape(phase)}: ${(ms / 1000).toFixed(2)} s (${((100 * ms) / root.ms).toFixed(0)} %)</text>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="14">${escape(title)} — ${(root.ms / 1000).toFixed(2)} s of CPU sampled (hover a frame for its time)</text>
${legend}
${body}
</svg>
`;
}

function fit(text: string, width: number): string {
  const chars = Math.floor((width - 6) / 6.6);
  return text.length <= chars ? text : `${text.slice(0, Math.max(chars - 1, 1))}…`;
}

function colour(name: string): string {
  if (/^\(garbage collector\)/.test(name)) return '#c8c8c8';
  if (/^\((program|idle)\)/.test(name)) return '#dddddd';
  if (/node_modules/.test(name)) return '#e8b26a';
  if (/dist\/src\//.test(name) || /dist\/projections\//.test(name)) return '#f0805a';
  if (/node:/.test(name)) return '#7fb3d5';
  return '#f4c77f';
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

main();
