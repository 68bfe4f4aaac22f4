import { performance } from 'node:perf_hooks';

/** Median wall time of `runs` runs (after one warm-up when asked), in seconds. */
export async function medianSeconds(
  runs: number,
  fn: () => Promise<unknown> | unknown,
  warmup = false,
): Promise<number> {
  if (warmup) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Samples resident memory every 20 ms while `fn` runs; returns the peak in MB. */
export async function peakRssMb<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

export function rate(records: number, seconds: number): string {
  return `${Math.round(records / seconds).toLocaleString('en')} rec/s`;
}

export function pad(label: string, width = 44): string {
  return label.padEnd(width);
}
