/**
 * Validates an Atlassian Document Format document the way Jira Cloud does before storing it: doc
 * version 1, known node types, each node's allowed children, non-empty text nodes, known marks.
 * Jira accepts links and mentions, so this validator does too; tests check separately that Glasswatch
 * never sends them. Returns the problems found (empty: valid).
 */

type Node = { type?: unknown; content?: unknown; text?: unknown; marks?: unknown; attrs?: unknown };

const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status']);
const BLOCK = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'codeBlock',
  'table',
  'rule',
  'blockquote',
  'panel',
]);
const MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline', 'link', 'subsup', 'textColor']);

/** Allowed child types per node type; absent: leaf (no content). */
const CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  doc: BLOCK,
  paragraph: INLINE,
  heading: INLINE,
  bulletList: new Set(['listItem']),
  orderedList: new Set(['listItem']),
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  codeBlock: new Set(['text']),
  table: new Set(['tableRow']),
  tableRow: new Set(['tableHeader', 'tableCell']),
  tableHeader: new Set([
    'paragraph',
    'bulletList',
    'orderedList',
    'codeBlock',
    'heading',
    'rule',
    'panel',
    'blockquote',
  ]),
  tableCell: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock', 'heading', 'rule', 'panel', 'blockquote']),
  blockquote: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  panel: new Set(['paragraph', 'bulletList', 'orderedList', 'heading']),
};
/** Nodes that must have at least one child. */
const NON_EMPTY = new Set(['bulletList', 'orderedList', 'listItem', 'table', 'tableRow', 'tableHeader', 'tableCell']);

export function validateAdf(doc: unknown): string[] {
  const problems: string[] = [];
  const root = doc as Node & { version?: unknown };
  if (!root || typeof root !== 'object') return ['document is not an object'];
  if (root.type !== 'doc') problems.push('root type must be "doc"');
  if (root.version !== 1) problems.push('version must be 1');
  visit(root, 'doc', problems, 0);
  return problems;
}

function visit(node: Node, path: string, problems: string[], depth: number): void {
  if (depth > 50) return void problems.push(`${path}: nested too deep`);
  const type = typeof node.type === 'string' ? node.type : '';
  const allowed = CHILDREN[type];
  if (type === 'text') {
    if (typeof node.text !== 'string' || node.text.length === 0)
      problems.push(`${path}: text must be a non-empty string`);
    if (node.marks !== undefined) checkMarks(node.marks, path, problems);
    return;
  }
  if (type === 'heading') {
    const level = (node.attrs as { level?: unknown } | undefined)?.level;
    if (typeof level !== 'number' || level < 1 || level > 6) problems.push(`${path}: heading level must be 1-6`);
  }
  if (type === 'mention' && typeof (node.attrs as { id?: unknown } | undefined)?.id !== 'string') {
    problems.push(`${path}: mention needs attrs.id`);
  }
  if (!allowed) {
    if (node.content !== undefined) problems.push(`${path}: ${type} takes no content`);
    return;
  }
  if (node.content === undefined) {
    if (NON_EMPTY.has(type)) problems.push(`${path}: ${type} needs content`);
    return;
  }
  if (!Array.isArray(node.content)) return void problems.push(`${path}: content must be an array`);
  if (NON_EMPTY.has(type) && node.content.length === 0) problems.push(`${path}: ${type} needs content`);
  node.content.forEach((child: Node, i: number) => {
    const childType = typeof child?.type === 'string' ? child.type : '(none)';
    const childPath = `${path}.content[${i}](${childType})`;
    if (!allowed.has(childType)) problems.push(`${childPath}: not allowed in ${type}`);
    else if (type === 'codeBlock' && child.marks !== undefined)
      problems.push(`${childPath}: codeBlock text takes no marks`);
    if (child && typeof child === 'object') visit(child, childPath, problems, depth + 1);
  });
}

function checkMarks(marks: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(marks)) return void problems.push(`${path}: marks must be an array`);
  for (const mark of marks as { type?: unknown; attrs?: { href?: unknown } }[]) {
    if (typeof mark?.type !== 'string' || !MARKS.has(mark.type))
      problems.push(`${path}: unknown mark ${String(mark?.type)}`);
    if (mark?.type === 'link' && typeof mark.attrs?.href !== 'string')
      problems.push(`${path}: link mark needs attrs.href`);
  }
}

/** Node and mark types used anywhere in a document. */
export function adfTypes(doc: unknown): { nodes: Set<string>; marks: Set<string> } {
  const nodes = new Set<string>();
  const marks = new Set<string>();
  const walk = (node: Node) => {
    if (typeof node?.type === 'string') nodes.add(node.type);
    if (Array.isArray(node?.marks))
      for (const m of node.marks as { type?: unknown }[]) if (typeof m.type === 'string') marks.add(m.type);
    if (Array.isArray(node?.content)) for (const c of node.content as Node[]) walk(c);
  };
  walk(doc as Node);
  return { nodes, marks };
}

/** The text of every `text` node, in document order. */
export function adfText(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node?.type === 'text' && typeof node.text === 'string') out.push(node.text);
    if (Array.isArray(node?.content)) for (const c of node.content as Node[]) walk(c);
  };
  walk(doc as Node);
  return out;
}
