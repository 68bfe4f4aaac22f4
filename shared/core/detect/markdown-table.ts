/**
 * One Markdown table for the README lists generated from the knowledge tables (tamper actions, Entra
 * changes), so every generated list has the same shape.
 *
 * @example
 * markdownTable(['a', 'b'], [['1', '2']]); // '| a | b |\n|---|---|\n| 1 | 2 |'
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
