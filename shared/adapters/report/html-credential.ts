import type { PostureReport } from '../../core/assure/report.js';
import type { CredentialPosture } from '../../core/assure/report-credential.js';
import type { OpeningApproval } from '../../core/model/incident.js';
import { escapeHtml, text } from './escape.js';
import { cell, table, when } from './html-parts.js';

/**
 * The posture page's credential section: per account that declares where its credential lives, each
 * store, the approval path, the last opening (when, by whom, through which store, approved or not) and
 * the rotation it calls for.
 */

const APPROVAL: Readonly<Record<OpeningApproval, { words: string; cls: string }>> = {
  approved: { words: 'approved reader', cls: 'ok' },
  outside: { words: 'outside the approval path', cls: 'bad' },
  undeclared: { words: 'approval path not declared', cls: 'na' },
  held: { words: 'held by a Vault control group / response wrapping', cls: 'ok' },
  authorized: { words: 'authorized through a Vault control group', cls: 'ok' },
  drill: { words: 'inside a declared drill window', cls: 'ok' },
};

const ROTATION: Readonly<Record<NonNullable<CredentialPosture['rotation']>['status'], { words: string; cls: string }>> =
  {
    rotated: { words: 'rotated', cls: 'ok' },
    due: { words: 'due', cls: 'na' },
    overdue: { words: 'overdue since', cls: 'bad' },
  };

const list = (items: readonly string[], max: number) =>
  `<ul class="wf">${items.map((i) => `<li><code>${text(i, max)}</code></li>`).join('')}</ul>`;

function row(id: string, c: CredentialPosture): string {
  const o = c.lastOpening;
  const readers = c.approvedReaders
    ? c.approvedReaders.length > 0
      ? list(c.approvedReaders.slice(0, 10), 200)
      : 'nobody (every read is outside)'
    : '<span class="wf-na">not declared</span>';
  const opening = o
    ? `${when(o.time)}${o.drill ? ' <small>drill window</small>' : ''}<br><small>${text(o.store, 200)}</small>`
    : 'none seen';
  const approval = o
    ? `<span class="wf-${APPROVAL[o.approval].cls}">${escapeHtml(APPROVAL[o.approval].words)}</span>`
    : '–';
  const rotation = c.rotation
    ? `<span class="wf-${ROTATION[c.rotation.status].cls}">${escapeHtml(ROTATION[c.rotation.status].words)}</span> ${when(c.rotation.at)}`
    : '–';
  return `<tr data-account="${text(id, 64)}">${cell('Account', `<code>${text(id, 64)}</code>`)}${cell('Stores', list(c.stores, 200))}${cell('Approved readers', readers)}${cell('Last opening', opening)}${cell('Read by', o ? `<code>${text(o.reader, 200)}</code>` : '–')}${cell('Approval path', approval)}${cell('Rotation after it', rotation)}</tr>`;
}

export function credentialSection(report: PostureReport): string {
  const rows = report.accounts.flatMap((a) => (a.credential ? [row(a.id, a.credential)] : []));
  const body =
    rows.length === 0
      ? '<p class="meta">No account declares where its credential is kept (<code>credential.stores</code> in the registry): openings of the vault cannot be watched.</p>'
      : table(
          ['Account', 'Stores', 'Approved readers', 'Last opening', 'Read by', 'Approval path', 'Rotation after it'],
          rows,
          'credential-stores',
        );
  return `<section id="credentials">
<h2>Where each credential lives, and its last opening</h2>
${body}
</section>`;
}
