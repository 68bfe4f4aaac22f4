import type { Block, TicketDoc } from './ticket-doc.js';

/**
 * Vendors cap body sizes (Jira 32,767 characters per rich-text field, ServiceNow 4,000 for an incident
 * description). Rather than let the vendor reject the ticket with a 400 and lose it, shed detail in a
 * fixed order until the rendered size fits: raw-event queries first (the latest go first), then the
 * latest timeline rows, and a note says so. The summary, facts and checklist always survive.
 * Each step binary-searches how much to keep, so a 3,000-event session costs a few dozen renders.
 */
export function fitDoc(doc: TicketDoc, measure: (doc: TicketDoc) => number, max: number): TicketDoc {
  if (measure(doc) <= max) return doc;
  const note: Block = {
    type: 'paragraph',
    text: 'Shortened to fit the size limit; the full timeline is in Glasswatch.',
  };
  const withNote = (blocks: Block[]): TicketDoc => ({ title: doc.title, blocks: [...blocks, note] });
  const fits = (blocks: Block[]) => measure(withNote(blocks)) <= max;

  // 1. Keep the first k raw-event query blocks.
  const codeRank = new Map(doc.blocks.flatMap((b, i) => (b.type === 'code' ? [i] : [])).map((i, k) => [i, k]));
  const keepCode = (k: number) => doc.blocks.filter((_, i) => (codeRank.get(i) ?? -1) < k);
  const codeKept = largest(codeRank.size, (k) => fits(keepCode(k)));
  if (codeKept >= 0) return withNote(keepCode(codeKept));
  let blocks = keepCode(0);

  // 2. Keep the first r rows of each table, largest table first.
  for (let index = largestTable(blocks); index !== -1; index = largestTable(blocks)) {
    const table = blocks[index] as Extract<Block, { type: 'table' }>;
    const withRows = (r: number) =>
      blocks.map((b, i) => (i === index ? { ...table, rows: table.rows.slice(0, r) } : b));
    const rowsKept = largest(table.rows.length - 1, (r) => fits(withRows(r)));
    blocks = withRows(Math.max(0, rowsKept));
    if (rowsKept >= 0) return withNote(blocks);
  }

  // 3. Last resort: the opening blocks that fit, plus the checklist.
  const checklist = blocks.filter((b) => b.type === 'checklist');
  const others = blocks.filter((b) => b.type !== 'checklist');
  const kept = largest(others.length, (n) => fits([...others.slice(0, n), ...checklist]));
  return withNote([...others.slice(0, Math.max(0, kept)), ...checklist]);
}

/** The largest n in [0, upper] for which `ok(n)` holds (ok is monotone: true then false), or -1. */
function largest(upper: number, ok: (n: number) => boolean): number {
  if (upper < 0 || !ok(0)) return -1;
  let lo = 0;
  let hi = upper;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
