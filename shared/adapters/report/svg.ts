import { escapeHtml } from './escape.js';

/**
 * What the report's inline SVG charts share: a frame whose margins are computed from the labels they
 * hold, so no label can fall outside the viewBox (the old chart right-anchored its axis labels inside a
 * fixed 64 px margin and "2893 d 12 h" lost its first digit), and labels placed start-, middle- or
 * end-anchored so they stay inside the plot's extent. Presentation attributes and classes only: no
 * inline `style`, so the page's content security policy holds.
 */

/** Width of text in the charts' system sans-serif, as an upper bound: 0.62 em per character. */
export function textWidth(value: string, fontPx: number): number {
  return Math.ceil(value.length * fontPx * 0.62);
}

export const AXIS_FONT = 11;
export const SMALL_FONT = 10;

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  plotW: number;
  plotH: number;
}

/** A frame wide enough on the left for the widest y label. */
export function frame(width: number, height: number, yLabels: readonly string[], bottom: number, top = 14): Frame {
  const left = 8 + Math.max(24, ...yLabels.map((l) => textWidth(l, AXIS_FONT)));
  const right = 12;
  return { width, height, left, right, top, bottom, plotW: width - left - right, plotH: height - top - bottom };
}

export function open(f: Frame, className: string, titleId: string, title: string): string {
  return (
    `<svg class="chart ${className}" role="img" aria-labelledby="${titleId}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${titleId}">${escapeHtml(title)}</title>`
  );
}

/** Text anchored so that it cannot cross `min`/`max` on the x axis. */
export function label(
  x: number,
  y: number,
  value: string,
  className: string,
  min: number,
  max: number,
  font = AXIS_FONT,
): string {
  const w = textWidth(value, font);
  let anchor = 'middle';
  let at = x;
  if (x - w / 2 < min) {
    anchor = 'start';
    at = Math.max(min, x - w / 2);
  } else if (x + w / 2 > max) {
    anchor = 'end';
    at = Math.min(max, x + w / 2);
  }
  return `<text class="${className}" x="${at.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}">${escapeHtml(value)}</text>`;
}

/** Horizontal grid with start-anchored y labels in the left margin. */
export function yGrid(f: Frame, labels: readonly string[]): string {
  const parts: string[] = [];
  const steps = labels.length - 1;
  labels.forEach((text, i) => {
    const y = f.top + f.plotH - (f.plotH * i) / steps;
    parts.push(
      `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`,
      `<text class="axis" x="4" y="${(y + 4).toFixed(1)}">${escapeHtml(text)}</text>`,
    );
  });
  return parts.join('');
}

export interface LegendItem {
  label: string;
  className: string;
}

export const LEGEND_ROW = 14;

/** Where each legend item goes, wrapping to a new row whenever the next one would leave the frame. */
function legendLayout(
  f: Pick<Frame, 'width' | 'left' | 'right'>,
  items: readonly LegendItem[],
): { x: number; row: number }[] {
  let x = f.left;
  let row = 0;
  return items.map((item) => {
    const w = 14 + textWidth(item.label, AXIS_FONT) + 14;
    if (x + w > f.width - f.right && x > f.left) {
      x = f.left;
      row++;
    }
    const at = { x, row };
    x += w;
    return at;
  });
}

/** Rows a legend takes in a frame of this width and left margin. */
export function legendRows(f: Pick<Frame, 'width' | 'left' | 'right'>, items: readonly LegendItem[]): number {
  return items.length === 0 ? 0 : Math.max(...legendLayout(f, items).map((p) => p.row)) + 1;
}

/** A legend whose first row's baseline is at `y`, wrapping as {@link legendRows} counts. */
export function legend(f: Frame, y: number, items: readonly LegendItem[]): string {
  const parts: string[] = [];
  const places = legendLayout(f, items);
  for (const [i, item] of items.entries()) {
    const { x, row: r } = places[i] as { x: number; row: number };
    const row = y + r * LEGEND_ROW;
    parts.push(
      `<rect class="${item.className}" x="${x}" y="${row - 9}" width="10" height="10"/>`,
      `<text class="axis" x="${x + 14}" y="${row}">${escapeHtml(item.label)}</text>`,
    );
  }
  return parts.join('');
}

/** 1, 2 or 5 times a power of ten, at or above `value`: round axis steps. */
export function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
