/** Throughput and latency of one load run, as the load generator measured it. */
export interface LoadFigures {
  /** Requests answered 2xx within the run. */
  readonly requests: number;
  /** Requests answered otherwise or failed at the socket. */
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The nearest-rank percentile `p` (0 to 100) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarise(
  latenciesMs: readonly number[],
  errors: number,
  seconds: number,
): LoadFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    errors,
    seconds,
    perSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** One aligned line: `label  12345 req/s  p50 1.2 ms  p99 3.4 ms  max 5.6 ms`. */
export function formatFigures(label: string, f: LoadFigures): string {
  const ms = (value: number): string => `${value.toFixed(1).padStart(7)} ms`;
  const errors = f.errors > 0 ? `  (${f.errors} errors)` : '';
  return (
    `  ${label.padEnd(28)} ${f.perSecond.toFixed(0).padStart(6)} req/s` +
    `  p50 ${ms(f.p50Ms)}  p99 ${ms(f.p99Ms)}  max ${ms(f.maxMs)}${errors}`
  );
}
