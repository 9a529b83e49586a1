/** One measured figure against its target, as printed in the table and written to JSON and Markdown. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  /** The product's figure, formatted. */
  readonly measured: string;
  /** The bare baseline measured in the same run, formatted; null for absolute targets. */
  readonly baseline: string | null;
  /** measured ÷ baseline for times, product ÷ bare for throughputs; null for absolute targets. */
  readonly ratio: number | null;
  readonly ratioText: string;
  readonly target: string;
  readonly met: boolean;
  /** Raw numbers and context, for the JSON. */
  readonly data: Record<string, unknown>;
}

export function timeRatio(
  id: string,
  title: string,
  productMs: number,
  bareMs: number,
  maxRatio: number,
  data: Record<string, unknown> = {},
): Figure {
  const ratio = productMs / bareMs;
  return {
    id,
    title,
    measured: ms(productMs),
    baseline: ms(bareMs),
    ratio,
    ratioText: `${ratio.toFixed(2)}×`,
    target: `≤ ${maxRatio}×`,
    met: ratio <= maxRatio,
    data: { productMs, bareMs, ...data },
  };
}

export function throughputRatio(
  id: string,
  title: string,
  productPerS: number,
  barePerS: number,
  minFraction: number,
  unit: string,
  data: Record<string, unknown> = {},
): Figure {
  const ratio = productPerS / barePerS;
  return {
    id,
    title,
    measured: `${rate(productPerS)} ${unit}`,
    baseline: `${rate(barePerS)} ${unit}`,
    ratio,
    ratioText: `${(ratio * 100).toFixed(0)}%`,
    target: `≥ ${Math.round(minFraction * 100)}%`,
    met: ratio >= minFraction,
    data: { productPerS, barePerS, ...data },
  };
}

export function atMost(
  id: string,
  title: string,
  value: number,
  limit: number,
  format: (n: number) => string,
  data: Record<string, unknown> = {},
): Figure {
  return {
    id,
    title,
    measured: format(value),
    baseline: null,
    ratio: null,
    ratioText: '',
    target: `≤ ${format(limit)}`,
    met: value <= limit,
    data: { value, limit, ...data },
  };
}

export const ms = (n: number): string =>
  n >= 10_000
    ? `${(n / 1000).toFixed(1)} s`
    : n >= 1000
      ? `${(n / 1000).toFixed(2)} s`
      : `${n.toFixed(n < 10 ? 1 : 0)} ms`;
export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
export const rate = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${Math.round(n / 1e3)} k` : n.toFixed(0);
