import { fitDoc } from './fit.js';
import type { Block, TicketDoc } from './ticket-doc.js';

/**
 * Atlassian Document Format for Jira Cloud REST v3. Only structural nodes and `text` nodes are emitted;
 * the only mark is `strong` on our own labels. No `link` mark, no `mention`, `inlineCard`, `emoji` or
 * `status` node exists in this module, so no log string can become one, and a text node is never
 * parsed as wiki markup (`{{…}}`, `[x|y]`, `@name` stay literal).
 */

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: 'strong' | 'code' }[];
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

/** Jira's limit for a rich-text field, in characters of the stored document. */
export const JIRA_FIELD_MAX = 32_767;
/** Headroom under the limit for the vendor's own serialization differences. */
const BUDGET = JIRA_FIELD_MAX - 2_767;

/** A TicketDoc as ADF, shortened (by {@link fitDoc}) to fit a Jira rich-text field. */
export function toAdf(doc: TicketDoc): AdfDoc {
  const fitted = fitDoc(doc, (d) => JSON.stringify(render(d)).length, BUDGET);
  return render(fitted);
}

function render(doc: TicketDoc): AdfDoc {
  return { version: 1, type: 'doc', content: doc.blocks.flatMap(block) };
}

const BLOCKS: { [K in Block['type']]: (b: Extract<Block, { type: K }>) => AdfNode[] } = {
  heading: (b) => [{ type: 'heading', attrs: { level: 3 }, content: inline(b.text) }],
  paragraph: (b) => [paragraph(b.text)],
  code: (b) => [{ type: 'codeBlock', attrs: {}, content: text(b.text) }],
  facts: (b) => [
    bulletList(
      b.facts.map((f) => ({
        type: 'paragraph',
        content: [{ type: 'text', text: `${f.label}: `, marks: [{ type: 'strong' }] }, ...inline(f.value)],
      })),
    ),
  ],
  list: (b) => (b.items.length === 0 ? [] : [bulletList(b.items.map(paragraph))]),
  checklist: (b) => (b.items.length === 0 ? [] : [bulletList(b.items.map((i) => paragraph(`[ ] ${i}`)))]),
  table: (b) => [
    {
      type: 'table',
      attrs: { isNumberColumnEnabled: false, layout: 'default' },
      content: [
        { type: 'tableRow', content: b.header.map((h) => cell('tableHeader', h)) },
        ...b.rows.map((row) => ({ type: 'tableRow', content: row.map((c) => cell('tableCell', c)) })),
      ],
    },
  ],
};

function block(b: Block): AdfNode[] {
  return (BLOCKS[b.type] as (x: Block) => AdfNode[])(b);
}

/** ADF forbids empty text nodes: an empty string becomes no node at all. */
function text(value: string): AdfNode[] {
  return value === '' ? [] : [{ type: 'text', text: value }];
}

/** Line breaks inside a paragraph become `hardBreak` nodes. */
function inline(value: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  value.split('\n').forEach((line, i) => {
    if (i > 0) nodes.push({ type: 'hardBreak' });
    nodes.push(...text(line));
  });
  return nodes;
}

function paragraph(value: string): AdfNode {
  return { type: 'paragraph', content: inline(value) };
}

function bulletList(items: AdfNode[]): AdfNode {
  return { type: 'bulletList', content: items.map((p) => ({ type: 'listItem', content: [p] })) };
}

function cell(type: 'tableHeader' | 'tableCell', value: string): AdfNode {
  return { type, attrs: {}, content: [paragraph(value)] };
}
