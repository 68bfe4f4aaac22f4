import type { Block, TicketDoc } from './ticket-doc.js';

/**
 * Vendors cap body sizes (Jira 32,767 characters per rich-text field, ServiceNow 4,000 for an incident
 * description). Rather than let the vendor reject the ticket with a 400 and lose it, shed detail in a
 * fixed order until the rendered size fits: raw-event queries first, then the oldest timeline rows are
 * kept and the newest dropped, and a note says so. The summary, facts and checklist always survive.
 */
export function fitDoc(doc: TicketDoc, measure: (doc: TicketDoc) => number, max: number): TicketDoc {
  if (measure(doc) <= max) return doc;
  let blocks = [...doc.blocks];
  const note: Block = {
    type: 'paragraph',
    text: 'Shortened to fit the size limit; the full timeline is in Glasswatch.',
  };
  const withNote = (b: Block[]): TicketDoc => ({ title: doc.title, blocks: [...b, note] });

  // 1. Drop raw-event query lines, last first.
  for (let i = blocks.length - 1; i >= 0 && measure(withNote(blocks)) > max; i--) {
    if (blocks[i]?.type === 'code') blocks.splice(i, 1);
  }
  // 2. Drop table rows from the end of the largest table, one at a time.
  while (measure(withNote(blocks)) > max) {
    const index = largestTable(blocks);
    if (index === -1) break;
    blocks = blocks.map((b, i) => (i === index && b.type === 'table' ? { ...b, rows: b.rows.slice(0, -1) } : b));
  }
  // 3. Last resort: keep only the opening blocks that fit, plus the checklist.
  if (measure(withNote(blocks)) > max) {
    const checklist = blocks.filter((b) => b.type === 'checklist');
    const kept: Block[] = [];
    for (const block of blocks) {
      if (block.type === 'checklist') continue;
      if (measure(withNote([...kept, block, ...checklist])) > max) break;
      kept.push(block);
    }
    blocks = [...kept, ...checklist];
  }
  return withNote(blocks);
}

/** Index of the table with the most rows, or -1 when no table has a row left. */
function largestTable(blocks: readonly Block[]): number {
  let best = -1;
  let rows = 0;
  blocks.forEach((b, i) => {
    if (b.type === 'table' && b.rows.length > rows) {
      best = i;
      rows = b.rows.length;
    }
  });
  return best;
}
