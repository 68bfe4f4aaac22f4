import type { ReplayProgress } from '../replay.js';
import type { CommandIO } from './io.js';

/** A one-line progress display on a terminal, redrawn at most 4 times a second; silent when piped. */
export function progressReporter(io: CommandIO, now: () => number = Date.now) {
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(p: ReplayProgress): void {
      if (!io.isTTY) return;
      const t = now();
      if (t - last < 250) return;
      last = t;
      const seconds = Math.max((t - started) / 1000, 0.001);
      const rate = Math.round(p.counts.records / seconds);
      io.stderrRaw(
        `\r\u001b[2K${p.filesDone}/${p.filesTotal} files · ${(p.bytesRead / 1e6).toFixed(1)} MB · ` +
          `${p.counts.records.toLocaleString('en')} records (${rate.toLocaleString('en')}/s) · ${p.counts.findings} findings`,
      );
      shown = true;
    },
    clear(): void {
      if (shown) io.stderrRaw('\r\u001b[2K');
      shown = false;
    },
  };
}
