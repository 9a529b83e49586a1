import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Figure } from './figures';
import type { Contention, Machine } from './machine';

export interface BenchReport {
  readonly machine: Machine;
  readonly contention: Contention | null;
  readonly command: string;
  readonly sizes: Record<string, number | string>;
  readonly figures: readonly Figure[];
  readonly wallMs: number;
}

/** The numbering; the b rows are context for the figure above them. */
const LABELS: Readonly<Record<string, string>> = {
  'first-download': '1',
  resync: '2',
  'refresh-activity': '3',
  append: '4',
  'append-registered': '4b',
  rebuild: '5',
  restart: '6',
  'cold-start': '6b',
  'low-usage-p99': '7',
  'peak-rss': '8',
  'loop-block': '9',
  'keep-answer': '9b',
  'as-of-loop-block': '9c',
};
const ORDER = Object.keys(LABELS);

/** The figures in the order. */
export function ordered(figures: readonly Figure[]): Figure[] {
  const rank = (f: Figure) => (ORDER.includes(f.id) ? ORDER.indexOf(f.id) : ORDER.length);
  return [...figures].sort((a, b) => rank(a) - rank(b));
}

const START = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';

export function textTable(report: BenchReport): string {
  const rows = [
    ['#', 'figure', 'product', 'bare baseline', 'ratio', 'target', 'result'],
    ...ordered(report.figures).map(row),
  ];
  const widths = rows[0].map((_, c) => Math.min(c === 1 ? 70 : 60, Math.max(...rows.map((r) => r[c].length))));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (cell.length > widths[c] ? `${cell.slice(0, widths[c] - 1)}…` : cell.padEnd(widths[c])))
      .join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownResults(report: BenchReport): string {
  const m = report.machine;
  const sizes = Object.entries(report.sizes)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
    .join(', ');
  return [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}, Node ${m.node};`,
    `\`${report.command}\` (${sizes}), ${Math.round(report.wallMs / 1000)} s wall time.`,
    ...(report.contention
      ? [
          `Other processes used ${Math.round(report.contention.othersShareOfMachine * 100)}% of the machine's CPU during the run (${report.contention.othersCoreSeconds} of ${report.contention.machineBusyCoreSeconds} busy core-seconds; load average ${report.contention.loadAverageAtStart.toFixed(1)} at start, ${report.contention.loadAverageAtEnd.toFixed(1)} at end).`,
        ]
      : []),
    '',
    '| # | figure | product | bare baseline (same run) | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
    ...ordered(report.figures).map((f) => `| ${row(f).join(' | ')} |`),
  ].join('\n');
}

/** Replaces the generated part of BENCHMARKS.md, keeping what people wrote around it. */
export function writeMarkdown(path: string, report: BenchReport): void {
  const results = `${START}\n${markdownResults(report)}\n${END}`;
  if (!existsSync(path)) {
    writeFileSync(path, `# Benchmarks\n\n${results}\n`);
    return;
  }
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  writeFileSync(
    path,
    from >= 0 && to > from
      ? `${text.slice(0, from)}${results}${text.slice(to + END.length)}`
      : `${text.trimEnd()}\n\n${results}\n`,
  );
}

function row(f: Figure): string[] {
  return [
    LABELS[f.id] ?? '',
    f.title,
    f.measured,
    f.baseline ?? '—',
    f.ratioText || '—',
    f.target,
    f.met ? 'met' : 'MISSED',
  ];
}
