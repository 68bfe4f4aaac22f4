import type { Fact } from '../actions.js';

/**
 * A vendor-neutral document: what a ticket or a comment says, before any format. Every string in it is
 * already sanitized text; serializers (ADF, ServiceNow, Markdown, …) only apply their own escaping and
 * never interpret it. There is deliberately no "link" block: untrusted text can never become one.
 */
export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'facts'; facts: Fact[] }
  | { type: 'table'; header: string[]; rows: string[][] }
  | { type: 'list'; items: string[] }
  /** Review items a person ticks off; rendered as "[ ] item" where the format has no checkbox. */
  | { type: 'checklist'; items: string[] }
  /** Queries and commands built from validated ids only: shown verbatim, monospaced. */
  | { type: 'code'; text: string };

export interface TicketDoc {
  /** Issue summary / short description, one line. */
  title: string;
  blocks: Block[];
}

/** Plain text of a document, used for length budgeting and by plain-text serializers. */
export function blockLines(block: Block): string[] {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
    case 'code':
      return [block.text];
    case 'facts':
      return block.facts.map((f) => `${f.label}: ${f.value}`);
    case 'table':
      return [block.header.join(' | '), ...block.rows.map((r) => r.join(' | '))];
    case 'list':
      return block.items.map((i) => `- ${i}`);
    case 'checklist':
      return block.items.map((i) => `[ ] ${i}`);
  }
}
