import type { ControlStatus, Score } from '../../core/assure/report-controls.js';
import { escapeHtml, text } from './escape.js';

/** Small pieces every section of the posture page uses. */

export const STATUS_WORDS: Readonly<Record<ControlStatus, string>> = {
  pass: 'pass',
  fail: 'fail',
  unknown: 'unknown',
  'n/a': 'n/a',
};

export function scoreText(score: Score): string {
  return score.percent === undefined ? '–' : `${score.percent}%`;
}

/** A time from the store (ISO 8601), shown to the minute. */
export function when(iso: string | undefined): string {
  return iso ? `<time datetime="${text(iso, 40)}">${text(iso.replace('T', ' ').slice(0, 16), 20)}</time>` : '–';
}

/** A cell with its column name, which narrow screens show beside the value (rows become cards). */
export function cell(column: string, html: string, className = ''): string {
  return `<td data-label="${escapeHtml(column)}"${className ? ` class="${className}"` : ''}>${html}</td>`;
}

export function table(
  columns: readonly string[],
  rows: readonly string[],
  id: string,
  empty = 'None.',
  className?: string,
): string {
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${columns.length}">${escapeHtml(empty)}</td></tr>`;
  return `<table id="${id}"${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}
