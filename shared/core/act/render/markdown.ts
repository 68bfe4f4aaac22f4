import type { Block, TicketDoc } from './ticket-doc.js';

/**
 * Markdown for the local outbox (`tickets/<incident>.md`). Every character CommonMark/GFM could read
 * as syntax is backslash-escaped, so `[link](http://x)`, `<script>`, `*bold*` or `| table |` from a
 * log render as the characters they are.
 */

/** Syntax anywhere in a line: emphasis, code, links/images (`[`), autolinks and HTML (`<`), tables, entities. */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&]/g;
/** Syntax only at the start of a line: lists, headings, setext underlines, quotes, ordered lists. */
const LINE_START = /^(\s*)([-+#=>])/gm;
const ORDERED = /^(\s*\d+)([.)])/gm;

export function escapeMarkdown(value: string): string {
  return value.replace(INLINE_SPECIAL, '\\$&').replace(LINE_START, '$1\\$2').replace(ORDERED, '$1\\$2');
}

/** Escaped, with line breaks kept as Markdown hard breaks. */
function lines(value: string): string {
  return value.split('\n').map(escapeMarkdown).join('  \n');
}

/** A code fence longer than any backtick run inside, so the block cannot be closed early. */
function fence(value: string): string {
  const longest = Math.max(2, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}text\n${value}\n${marks}`;
}

const BLOCKS: { [K in Block['type']]: (b: Extract<Block, { type: K }>) => string } = {
  heading: (b) => `## ${escapeMarkdown(b.text)}`,
  paragraph: (b) => lines(b.text),
  code: (b) => fence(b.text),
  facts: (b) => b.facts.map((f) => `- **${escapeMarkdown(f.label)}:** ${escapeMarkdown(f.value)}`).join('\n'),
  list: (b) => b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n'),
  checklist: (b) => b.items.map((i) => `- [ ] ${escapeMarkdown(i)}`).join('\n'),
  table: (b) => {
    const row = (cells: readonly string[]) =>
      `| ${cells.map((c) => escapeMarkdown(c.replace(/\n/g, ' '))).join(' | ')} |`;
    return [row(b.header), `|${b.header.map(() => ' --- |').join('')}`, ...b.rows.map(row)].join('\n');
  },
};

/** A TicketDoc as a Markdown file, title first. */
export function toMarkdown(doc: TicketDoc): string {
  const body = doc.blocks.map((b) => (BLOCKS[b.type] as (x: Block) => string)(b)).join('\n\n');
  return `# ${escapeMarkdown(doc.title)}\n\n${body}\n`;
}
