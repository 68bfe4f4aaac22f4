import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDrivers } from '../../../shared/adapters/http/drivers.js';
import { fileStem } from '../../../shared/adapters/outbox/outbox.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { createResponders } from '../../../shared/core/act/responders.js';
import { EnvSecretResolver } from '../../../shared/core/act/secrets.js';
import {
  awsActivity,
  awsRootSignIn,
  closed,
  extend,
  hostileEvent,
  incident,
  opened,
} from '../../unit/act/support/incidents.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function local() {
  const config = respondersSchema.parse({ outbox: { dir } });
  return createResponders(config, { drivers: createDrivers(config, { secrets: new EnvSecretResolver({}) }) });
}

describe('local outbox (no responder configured)', () => {
  it('defaults to the outbox when the registry names no responder', () => {
    const drivers = createDrivers(undefined, { secrets: new EnvSecretResolver({}) });
    expect(Object.keys(drivers)).toEqual(['outbox']);
  });

  it('writes the page and the ticket, and reports where', async () => {
    const first = incident([awsRootSignIn()], { id: 'inc-local-1' });
    const report = await local().handle([opened(first)]);
    expect(report.complete).toBe(true);
    expect(report.incidents[0]?.actions[0]?.ref).toEqual({
      page: join(dir, 'pages', 'inc-local-1.txt'),
      ticket: join(dir, 'tickets', 'inc-local-1.md'),
    });
    const page = await readFile(join(dir, 'pages', 'inc-local-1.txt'), 'utf8');
    expect(page.split('\n').slice(0, 3)).toEqual([
      'Subject: Glasswatch critical: root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 - Firefox/...',
      '',
      'root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · critical',
    ]);
    const ticket = await readFile(join(dir, 'tickets', 'inc-local-1.md'), 'utf8');
    expect(ticket).toContain('## Review checklist');
    expect(ticket).toContain('- [ ] Rotation done');
  });

  it('rewrites the same files with the full timeline as the incident grows (idempotent)', async () => {
    const responders = local();
    const first = incident([awsRootSignIn()], { id: 'inc-local-2' });
    const more = extend(first, [awsActivity({ action: 'PutBucketPolicy' })]);
    await responders.handle([opened(first), more, closed(more.incident)]);
    await responders.handle([closed(more.incident)]);
    expect(await readdir(join(dir, 'tickets'))).toEqual(['inc-local-2.md']);
    const ticket = await readFile(join(dir, 'tickets', 'inc-local-2.md'), 'utf8');
    expect(ticket).toContain('PutBucketPolicy');
    expect(await readFile(join(dir, 'pages', 'inc-local-2.txt'), 'utf8')).toMatch(
      /^Subject: Glasswatch critical session ended:/,
    );
  });

  it('makes each folder once, and again when it was removed during the run', async () => {
    const responders = local();
    const first = incident([awsRootSignIn()], { id: 'inc-local-3' });
    await responders.handle([opened(first)]);
    await rm(join(dir, 'pages'), { recursive: true });
    const more = extend(first, [awsActivity({ action: 'PutBucketPolicy' })]);
    expect((await responders.handle([more])).complete).toBe(true);
    expect(await readdir(join(dir, 'pages'))).toEqual(['inc-local-3.txt']);
  });

  it('keeps hostile incident ids inside the folder and hostile text Markdown-inert', async () => {
    expect(fileStem('../../etc/passwd')).toMatch(/^etc_passwd-gw-[0-9a-f]{12}$/);
    const evil = incident([hostileEvent()], { id: '../../escape' });
    const report = await local().handle([opened(evil)]);
    const written = Object.values(report.incidents[0]?.actions[0]?.ref ?? {});
    expect(written.every((p) => p.startsWith(dir))).toBe(true);
    const ticket = await readFile(written[1] as string, 'utf8');
    expect(ticket).not.toMatch(/(^|[^\\])<script/);
    expect(ticket).not.toMatch(/(^|[^\\])\[link\]\(/);
  });
});
