import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import { auditEvent } from '../../support/audit-events.js';
import { closed, HOSTILE, hostileEvent, incident, opened, session } from '../../unit/act/support/incidents.js';
import { aftermathHarness } from './support/harness.js';
import { parseIcs, property, unescapeText } from './support/ics-parse.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-aftermath-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under the outbox with its content, by relative path. */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path, 'utf8');
  }
  return files;
}

function rootPasswordChange(time: string): AuditEvent {
  return auditEvent({
    service: 'signin.amazonaws.com',
    action: 'PasswordUpdated',
    actor: {
      type: 'Root',
      display: 'root (111122223333)',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
    },
    account: '111122223333',
    time,
  });
}

describe('local outbox (no responder configured): schedules, review invite and tasks as files', () => {
  it('writes them beside pages and tickets, and a re-run leaves byte-identical files', async () => {
    const { responders } = aftermathHarness({ outbox: { dir }, review: { timezone: 'Europe/Paris' } });
    const changes = session('inc-o1', 1);
    const report = await responders.handle(changes);
    expect(report.complete).toBe(true);
    const first = await snapshot();
    expect(Object.keys(first).sort()).toEqual([
      'pages/inc-o1.txt',
      'reviews/inc-o1.ics',
      'reviews/inc-o1.md',
      'rotations/inc-o1.md',
      'schedules/inc-o1-review.json',
      'schedules/inc-o1-rotation.json',
      'tickets/inc-o1.md',
    ]);
    expect(JSON.parse(first['schedules/inc-o1-review.json'] ?? '')).toMatchObject({
      name: 'gw-review-inc-o1',
      scheduleExpression: 'at(2022-11-14T09:00:00)',
      localTime: 'Mon 2022-11-14 10:00 Europe/Paris',
      input: { task: 'review', incidentId: 'inc-o1' },
    });
    expect(first['reviews/inc-o1.md']).toMatch(/^# Post-incident review: aws-root-prod break-glass use/);
    expect(first['reviews/inc-o1.md']).toContain('**Due:** 2022-11-14');
    expect(first['rotations/inc-o1.md']).toContain('**Status:** open');
    expect(report.incidents[0]?.actions.find((a) => a.key === 'review:outbox:invite')?.ref).toEqual({
      invite: join(dir, 'reviews', 'inc-o1.ics'),
    });

    await responders.handle(changes);
    await aftermathHarness({ outbox: { dir }, review: { timezone: 'Europe/Paris' } }).responders.handle(changes);
    expect(await snapshot()).toEqual(first);
  });

  it('the .ics reads back as a REQUEST for the owners, organised by the first owner', async () => {
    const { responders } = aftermathHarness({ outbox: { dir } });
    await responders.handle(session('inc-o2', 1));
    const text = await readFile(join(dir, 'reviews', 'inc-o2.ics'), 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = parseIcs(text);
    expect(lines[0]).toMatchObject({ name: 'BEGIN', value: 'VCALENDAR' });
    expect(property(lines, 'METHOD')?.value).toBe('REQUEST');
    expect(property(lines, 'UID')?.value).toBe('inc-o2-review@glasswatch');
    expect(property(lines, 'DTSTART')?.value).toBe('20221114T100000Z');
    expect(property(lines, 'DTEND')?.value).toBe('20221114T110000Z');
    expect(property(lines, 'ORGANIZER')?.value).toBe('MAILTO:alice@example.com');
    const attendees = lines.filter((l) => l.name === 'ATTENDEE');
    expect(attendees.map((a) => [a.value, a.params.RSVP, a.params.PARTSTAT])).toEqual([
      ['mailto:alice@example.com', 'TRUE', 'NEEDS-ACTION'],
      ['mailto:bob@example.com', 'TRUE', 'NEEDS-ACTION'],
    ]);
    expect(unescapeText(property(lines, 'SUMMARY')?.value ?? '')).toBe(
      'Post-incident review: aws-root-prod break-glass use',
    );
    const description = unescapeText(property(lines, 'DESCRIPTION')?.value ?? '');
    expect(description).toContain('Ticket: tickets/inc-o2.md (local outbox)');
    expect(description).toContain('[ ] Rotation done: the break-glass credential has been rotated and re-sealed');
  });

  it('hostile text stays text in the invite: no control characters, no extra properties', async () => {
    const { responders } = aftermathHarness({ outbox: { dir } });
    const evil = incident([hostileEvent()], {
      id: 'inc-o3',
      principal: `x\r\nATTENDEE:mailto:evil@example.com ${HOSTILE.control}`,
    });
    await responders.handle([opened(evil), closed(evil)]);
    const text = await readFile(join(dir, 'reviews', 'inc-o3.ics'), 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none survive.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    const lines = parseIcs(text);
    expect(lines.filter((l) => l.name === 'ATTENDEE').map((l) => l.value)).toEqual([
      'mailto:alice@example.com',
      'mailto:bob@example.com',
    ]);
    expect(unescapeText(property(lines, 'DESCRIPTION')?.value ?? '')).toContain('ATTENDEE:mailto:evil@example.com');
  });

  it('the rotation task file is rewritten as done when the rotation is seen; an unseen one leaves an overdue page', async () => {
    const { responders } = aftermathHarness({ outbox: { dir } });
    await responders.handle(session('inc-o4', 1));
    await responders.handle(
      session('inc-o5', 1).map((c) => ({ ...c, incident: { ...c.incident, account: 'aws-breakglass-user' } })),
    );
    await responders.rotationSeen(rootPasswordChange('2022-11-11T09:00:00.000Z'));
    const seen = await readFile(join(dir, 'rotations', 'inc-o4.md'), 'utf8');
    expect(seen).toMatch(/^# \\\[DONE\\\] Rotate the aws-root-prod break-glass credential/);
    expect(seen).toContain('**Status:** done');
    expect(seen).toContain('Rotation seen in the audit logs: signin.amazonaws.com PasswordUpdated');

    const overdue = await responders.checkOverdue();
    expect(overdue.complete).toBe(true);
    const files = Object.keys(await snapshot());
    expect(files).toContain('pages/inc-o5.rotation-overdue.txt');
    expect(files).not.toContain('pages/inc-o4.rotation-overdue.txt');
    const page = await readFile(join(dir, 'pages', 'inc-o5.rotation-overdue.txt'), 'utf8');
    expect(page.split('\n')[0]).toBe(
      'Subject: Glasswatch high escalation: Rotation of aws-breakglass-user not seen within 24 h of incident inc-o5',
    );
  });
});
