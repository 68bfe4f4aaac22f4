import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adfText, adfTypes, validateAdf } from '../../support/vendor-servers/adf.js';
import { allStrings } from '../../support/vendor-servers/base.js';
import {
  awsRootSignIn,
  closed,
  extend,
  HOSTILE,
  hostileEvent,
  incident,
  opened,
} from '../../unit/act/support/incidents.js';
import { configFor, harness, startVendors, type Vendors } from './harness.js';

let vendors: Vendors;
beforeEach(async () => {
  vendors = await startVendors();
});
afterEach(async () => {
  await vendors.close();
});

/** A session whose principal, user agent, resources, IP and location are all attacker-written. */
function hostileSession() {
  const first = incident([hostileEvent()], { id: 'inc-hostile', severity: 'high' });
  const more = extend(
    first,
    [hostileEvent(), { ...awsRootSignIn(), actor: HOSTILE.slackHere, kinds: ['account.change'] }],
    { severity: 'critical' },
  );
  return [opened(first), more, closed(more.incident)];
}

/** Our own URLs (raw-event query links built from validated ids); everything else must be defanged. */
const TRUSTED_URL = /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudtrailv2\//;

function assertInert(strings: readonly string[]): void {
  for (const s of strings) {
    expect(s).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]/);
    expect(s.length).toBeLessThan(20_000);
    for (const url of s.match(/\S*:\/\/\S*/g) ?? []) expect(url.replace(/^[^h]*/, '')).toMatch(TRUSTED_URL);
    expect(s).not.toContain(
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'.repeat(
        2,
      ),
    );
  }
}

describe('hostile strings in every field, end to end (inspecting what each server received)', () => {
  it('reach every vendor only as inert, capped text', async () => {
    const { responders } = harness(
      vendors,
      configFor(vendors, ['pagerduty', 'opsgenie', 'sns', 'chat', 'jira', 'servicenow']),
    );
    const report = await responders.handle(hostileSession());
    expect(report.complete).toBe(true);

    // PagerDuty: no links from logs (only the ticket's, once it exists), no images; summary within its limit.
    const ticketUrls = [vendors.jira.url, vendors.servicenow.url];
    for (const r of vendors.pagerduty.processed()) {
      const body = r.body as { links?: { href: string }[]; images?: unknown; payload?: { summary: string } };
      for (const link of body.links ?? []) expect(ticketUrls.some((u) => link.href.startsWith(`${u}/`))).toBe(true);
      expect(body.images).toBeUndefined();
      if (body.payload) expect(body.payload.summary.length).toBeLessThanOrEqual(1024);
      const { links: _links, ...rest } = body;
      assertInert(allStrings(rest));
    }

    // Opsgenie: message within 130 characters; the only URL a detail holds is the ticket's.
    const notTicketUrl = (text: string) => !ticketUrls.some((u) => text.startsWith(`${u}/`));
    for (const r of vendors.opsgenie.processed()) assertInert(allStrings(r.body).filter(notTicketUrl));
    expect(vendors.opsgenie.opened[0]?.message.length).toBeLessThanOrEqual(130);

    // Jira: valid ADF, text nodes and strong marks only — no link marks, mentions or cards.
    const issue = vendors.jira.issues[0];
    for (const doc of [issue?.description, ...(issue?.comments ?? [])]) {
      expect(validateAdf(doc)).toEqual([]);
      const { nodes, marks } = adfTypes(doc);
      expect([...marks].filter((m) => m !== 'strong')).toEqual([]);
      for (const n of ['mention', 'inlineCard', 'blockCard', 'emoji', 'media']) expect(nodes.has(n)).toBe(false);
      assertInert(adfText(doc));
    }
    expect(adfText(issue?.description).join('\n')).toContain('{{jira macro}}');

    // ServiceNow: no [code] escape into HTML, in the description or any work note.
    const record = vendors.servicenow.incidents[0];
    for (const text of [record?.short_description ?? '', record?.description ?? '', ...(record?.work_notes ?? [])]) {
      expect(text).not.toMatch(/\[\s*\/?\s*code\s*\]/i);
      assertInert([text]);
    }

    // Slack: every control sequence escaped, formatting and unfurling off.
    const messages = vendors.slack.messages() as { text: string; mrkdwn: boolean; unfurl_links: boolean }[];
    expect(messages.length).toBe(2);
    for (const m of messages) {
      expect(m.text).not.toMatch(/<[!@#]|<https?|\|[^&]*>/);
      expect(m.text).toContain('&lt;!here&gt;');
      expect(m).toMatchObject({ mrkdwn: false, unfurl_links: false });
      assertInert([m.text]);
    }

    // SNS: printable-ASCII subjects under 100 characters, no control characters in the body.
    for (const p of vendors.sns.published) {
      expect(p.subject).toMatch(/^[\x20-\x7E]{1,99}$/);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone.
      expect(p.message).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
      assertInert([p.message]);
    }
  });

  it('reach Teams only inside TextRuns', async () => {
    const { responders } = harness(vendors, configFor(vendors, ['chat'], { chat: { kind: 'teams' } }), {
      chatKind: 'teams',
    });
    expect((await responders.handle(hostileSession())).complete).toBe(true);
    const [message] = vendors.teams.messages() as { attachments: { content: { body: unknown } }[] }[];
    const body = message?.attachments[0]?.content.body;
    const json = JSON.stringify(body);
    expect(json).toContain('"TextRun"');
    expect(json).not.toMatch(/"TextBlock"|"FactSet"/);
    assertInert(allStrings(body));
  });
});
