import { describe, expect, it } from 'vitest';
import { toAdf } from '../../../../shared/core/act/render/adf.js';
import { toSlack, toTeams } from '../../../../shared/core/act/render/chat.js';
import { escapeMarkdown, toMarkdown } from '../../../../shared/core/act/render/markdown.js';
import { pageMessage } from '../../../../shared/core/act/render/page.js';
import { neutraliseServiceNow, toPlainText } from '../../../../shared/core/act/render/plain-text.js';
import { toSns } from '../../../../shared/core/act/render/sns.js';
import { buildTicket, eventsComment, REVIEW_CHECKLIST } from '../../../../shared/core/act/render/ticket.js';
import { adfText, adfTypes, validateAdf } from '../../../support/vendor-servers/adf.js';
import { allStrings } from '../../../support/vendor-servers/base.js';
import { awsActivity, awsRootSignIn, hostileEvent, incident } from '../support/incidents.js';

const hostile = incident([hostileEvent()]);
const rules = [
  {
    kind: 'activity' as const,
    title: 'Break-glass account used',
    runbook: ['Confirm the use with the account owner.', 'Rotate the credential after the session.'],
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html'],
  },
];

describe('ADF (Jira)', () => {
  it('is a valid ADF document with only structural nodes, text and strong marks', () => {
    const doc = toAdf(buildTicket(hostile, { rules }));
    expect(validateAdf(doc)).toEqual([]);
    const { nodes, marks } = adfTypes(doc);
    for (const forbidden of ['mention', 'inlineCard', 'blockCard', 'emoji', 'status', 'media', 'extension'])
      expect(nodes.has(forbidden)).toBe(false);
    expect([...marks]).toEqual(['strong']);
  });

  it('keeps hostile strings as literal, defanged text', () => {
    const strings = adfText(toAdf(buildTicket(hostile)));
    const text = strings.join('\n');
    expect(text).toContain('{{jira macro}}');
    expect(text).toContain('[link](http[:]//evil.example/x)');
    expect(text).not.toMatch(/https?:\/\/evil/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone.
    expect(text).not.toMatch(/[\u202E\u200B\u0000\u0007]/);
    expect(Math.max(...strings.map((s) => s.length))).toBeLessThan(1_000);
  });

  it('holds what a lead reviews: summary, facts, timeline, runbook, raw-event queries, checklist', () => {
    const doc = buildTicket(incident([awsRootSignIn(), awsActivity()]), {
      rules: [{ ...rules[0], kind: 'signin.success' } as never],
    });
    const text = adfText(toAdf(doc)).join('\n');
    expect(text).toContain('root (111122223333) signed in to AWS 111122223333');
    expect(text).toContain('without MFA');
    expect(text).toContain('signin.amazonaws.com ConsoleLogin');
    expect(text).toContain('s3.amazonaws.com CreateBucket');
    expect(text).toContain('Confirm the use with the account owner.');
    expect(text).toContain(
      'https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/deb1e1f9-c99b-4612-8e9f-21f93b5d79c0',
    );
    for (const item of REVIEW_CHECKLIST) expect(text).toContain(`[ ] ${item}`);
  });

  it('fits a 3,000-event session into a Jira field, keeping summary and checklist', () => {
    const events = [
      awsRootSignIn(),
      ...Array.from({ length: 3_000 }, () => awsActivity({ resources: ['x'.repeat(190)] })),
    ];
    const doc = toAdf(buildTicket(incident(events), { maxTimelineRows: 3_000, maxQueryEvents: 3_000 }));
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(32_767);
    expect(validateAdf(doc)).toEqual([]);
    const text = adfText(doc).join('\n');
    expect(text).toContain('Shortened to fit the size limit');
    expect(text).toContain(`[ ] ${REVIEW_CHECKLIST[3]}`);
  });

  it('renders an events comment with the escalation first', () => {
    const doc = toAdf(eventsComment(hostile, hostile.events, 'Severity raised from high to critical'));
    expect(validateAdf(doc)).toEqual([]);
    expect(adfText(doc)[0]).toBe('Severity raised from high to critical. Current severity: critical.');
  });
});

describe('Slack', () => {
  it('escapes &, < and > so no control sequence, mention or link survives', () => {
    const message = toSlack(pageMessage(hostile, 'opened'));
    expect(message.text).not.toMatch(/<[!@#]|<https?:|<[^>]*\|/);
    expect(message.text).toContain('&lt;!here&gt;');
    expect(message).toMatchObject({ mrkdwn: false, unfurl_links: false, unfurl_media: false });
    expect(message.text.length).toBeLessThanOrEqual(3_000 * 5);
  });
});

describe('Teams', () => {
  it('puts text only in TextRuns (never Markdown-parsed), no FactSet or TextBlock', () => {
    const message = toTeams(pageMessage(hostile, 'opened'));
    const json = JSON.stringify(message);
    expect(json).not.toContain('"TextBlock"');
    expect(json).not.toContain('"FactSet"');
    const body = message.attachments[0]?.content.body ?? [];
    expect(body.every((b) => b.type === 'RichTextBlock' && b.inlines.every((i) => i.type === 'TextRun'))).toBe(true);
    expect(allStrings(message).join('\n')).not.toMatch(/https?:\/\/evil/);
  });
});

describe('SNS', () => {
  it('has a printable-ASCII subject under 100 characters and a plain-text body led by the headline', () => {
    const { subject, message } = toSns(pageMessage(incident([awsRootSignIn()], { drill: true }), 'opened'));
    expect(subject).toBe(
      'DRILL - Glasswatch critical: root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 - ...',
    );
    expect(subject.length).toBeLessThan(100);
    expect(message.split('\n')[0]).toBe(
      'DRILL · root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · critical',
    );
  });

  it('folds hostile subjects to one ASCII line', () => {
    const { subject } = toSns(pageMessage(hostile, 'opened'));
    expect(subject).toMatch(/^[\x20-\x7E]{1,99}$/);
  });
});

describe('ServiceNow plain text', () => {
  it('neutralises every spelling of [code] so HTML stays text', () => {
    expect(neutraliseServiceNow('[code]<b>x</b>[/code] [ CODE ] [/ code]')).toBe(
      '(code)<b>x</b>(/code) (code) (/code)',
    );
    const text = toPlainText(buildTicket(hostile), 4_000);
    expect(text).not.toMatch(/\[\s*\/?\s*code\s*\]/i);
    expect(text.length).toBeLessThanOrEqual(4_000);
    expect(text).toContain('== Timeline ==');
  });
});

describe('Markdown (outbox)', () => {
  it('escapes link, HTML, emphasis and table syntax from logs', () => {
    expect(escapeMarkdown('[link](http://x) <script> *b* a|b')).toBe('\\[link\\](http://x) \\<script\\> \\*b\\* a\\|b');
    expect(escapeMarkdown('- item\n# heading\n1. one')).toBe('\\- item\n\\# heading\n1\\. one');
    const md = toMarkdown(buildTicket(hostile));
    expect(md).not.toMatch(/(^|[^\\])\[link\]/);
    expect(md).not.toMatch(/(^|[^\\])<script/);
  });

  it('fences raw-event queries with a fence longer than any backtick run', () => {
    const md = toMarkdown({ title: 't', blocks: [{ type: 'code', text: 'a ``` b' }] });
    expect(md).toContain('````text\na ``` b\n````');
  });
});
