import { describe, expect, it } from 'vitest';
import { headline, headlineWithReason, pageMessage } from '../../../../shared/core/act/render/page.js';
import { buildTicket, ticketTitle } from '../../../../shared/core/act/render/ticket.js';
import { shortUserAgent } from '../../../../shared/core/act/render/user-agent.js';
import { viewIncident } from '../../../../shared/core/act/render/view.js';
import {
  awsActivity,
  awsCredentialRead,
  awsRootSignIn,
  entraSignIn,
  gcpSetIamPolicy,
  HOSTILE,
  hostileEvent,
  incident,
} from '../support/incidents.js';

describe('page one-liner', () => {
  it('says who, where, from where, user agent, MFA and severity for an AWS root sign-in (AWS docs sample)', () => {
    expect(headline(viewIncident(incident([awsRootSignIn()])))).toBe(
      'root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · critical',
    );
  });

  it('matches the documented shape with geo when the provider gives one', () => {
    const event = {
      ...awsRootSignIn(),
      src: {
        ip: '203.0.113.7',
        geo: 'Seattle, US',
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:120.0) Gecko/20100101 Firefox/120.0',
      },
    };
    expect(headline(viewIncident(incident([event])))).toBe(
      'root (111122223333) signed in to AWS 111122223333 from 203.0.113.7 (Seattle, US) · Firefox/120 on macOS · without MFA · critical',
    );
  });

  it('shows the Entra location and says MFA unknown when the record cannot tell (Panther sample)', () => {
    expect(headline(viewIncident(incident([entraSignIn()])))).toBe(
      'john@justice.org signed in to Azure tenant-id-123 from 4.4.4.4 (Moscow, Moscow, RU) · MFA unknown · critical',
    );
  });

  it('describes activity without a sign-in (GCP Panther sample)', () => {
    expect(headline(viewIncident(incident([gcpSetIamPolicy()], { severity: 'high' })))).toBe(
      'test@runpanther.com was active in GCP western-verve-123456 from 136.24.229.58 · Chrome/81 on macOS · MFA unknown · high',
    );
  });

  it('a session the opening of the vault started names who read it, from where, through which store, then the sign-in', () => {
    const signIn = { ...awsRootSignIn(), time: '2026-11-20T10:05:00.000Z', kinds: ['signin.success' as const] };
    const session = incident([awsCredentialRead(), signIn], { severity: 'high' });
    expect(headline(viewIncident(session))).toBe(
      'arn:aws:sts::111122223333:assumed-role/BreakGlassCustodian/alice read the break-glass credential from AWS Secrets Manager prod/breakglass/root from 198.51.100.23 (approved reader) · then root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · high',
    );
    const facts = pageMessage(session, 'opened').facts;
    expect(facts).toEqual(
      expect.arrayContaining([
        { label: 'Principal', value: 'root (111122223333)' },
        {
          label: 'Credential read by',
          value: 'arn:aws:sts::111122223333:assumed-role/BreakGlassCustodian/alice from 198.51.100.23',
        },
        { label: 'Credential store', value: 'AWS Secrets Manager prod/breakglass/root' },
        { label: 'Approval path', value: 'read by an approved reader' },
      ]),
    );
    // The ticket's timeline begins with the opening, saying who read what and how it was judged.
    const ticket = buildTicket(session);
    const timeline = ticket.blocks.find((b) => b.type === 'table');
    expect(timeline?.type === 'table' && timeline.rows[0]).toEqual([
      '2026-11-20T10:00:00.000Z',
      'secretsmanager.amazonaws.com GetSecretValue by arn:aws:sts::111122223333:assumed-role/BreakGlassCustodian/alice: read by an approved reader',
      'AWS Secrets Manager prod/breakglass/root',
      'success',
      '198.51.100.23',
    ]);
    expect(ticketTitle(session)).toBe('Break-glass use: root (111122223333) in AWS 111122223333 · high');
  });

  it('an opening outside the approval path with no use seen says so, without an MFA it could not know', () => {
    const session = incident([awsCredentialRead('outside')], { drill: true, severity: 'low' });
    expect(headline(viewIncident(session))).toBe(
      'DRILL · arn:aws:sts::111122223333:assumed-role/BreakGlassCustodian/alice read the break-glass credential from AWS Secrets Manager prod/breakglass/root from 198.51.100.23, outside the approval path · no use seen · aws-cli/2.15.0 · low',
    );
    expect(ticketTitle(session)).toBe(
      'DRILL · Break-glass credential read, no use seen: arn:aws:sts::111122223333:assumed-role/BreakGlassCustodian/alice from AWS Secrets Manager prod/breakglass/root · low',
    );
    expect(headline(viewIncident(incident([awsCredentialRead('undeclared')])))).toContain(
      'prod/breakglass/root from 198.51.100.23 (approval path not declared) · no use seen',
    );
  });

  it('a sign-in with no opening of the declared store before it says "signed in, without opening the vault"', () => {
    const signIn = { ...awsRootSignIn(), kinds: ['signin.success' as const, 'signin.without-opening' as const] };
    expect(headline(viewIncident(incident([signIn], { severity: 'high' })))).toBe(
      'root (111122223333) signed in, without opening the vault, to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · high',
    );
  });

  it('puts DRILL first for drills', () => {
    expect(headline(viewIncident(incident([awsRootSignIn()], { drill: true, severity: 'low' })))).toBe(
      'DRILL · root (111122223333) signed in to AWS 111122223333 from 192.0.2.0 · Firefox/62 on macOS · without MFA · low',
    );
  });

  it.each([
    [{ used: true, methods: ['TOTP'] }, 'with MFA'],
    [{ used: false, methods: [] }, 'without MFA'],
    [{ used: undefined, methods: [] }, 'MFA unknown'],
  ] as const)('words MFA %j as "%s"', (mfa, wording) => {
    const event = { ...awsRootSignIn(), mfa: { ...mfa, methods: [...mfa.methods] } };
    expect(headline(viewIncident(incident([event])))).toContain(` · ${wording} · `);
  });

  it('says without MFA when any sign-in of the session lacked it', () => {
    const withMfa = { ...awsRootSignIn(), id: 'aws:a', mfa: { used: true, methods: ['TOTP'] } };
    const without = { ...awsRootSignIn(), id: 'aws:b', mfa: { used: false, methods: [] } };
    expect(viewIncident(incident([withMfa, without])).mfa).toBe('without MFA');
  });

  it('words the session by its successful sign-ins, not by a failed attempt before them', () => {
    // AWS writes MFAUsed "No" on a failed root sign-in; the sign-in that then succeeds used a security key.
    const failed = { ...awsRootSignIn(), id: 'aws:f', outcome: 'failure' as const, mfa: { used: false, methods: [] } };
    const key = 'arn:aws:iam::111122223333:u2f/root/key';
    const signedIn = { ...awsRootSignIn(), id: 'aws:s', mfa: { used: true, methods: [key] } };
    expect(viewIncident(incident([failed, signedIn])).mfa).toBe('with MFA');
    const unknown = { ...signedIn, mfa: { used: undefined, methods: [] } };
    expect(viewIncident(incident([failed, unknown])).mfa).toBe('MFA unknown');
    expect(viewIncident(incident([failed])).mfa).toBe('without MFA');
  });

  it('keeps hostile text inert and short: one line, capped, no control or bidi characters', () => {
    const line = headline(viewIncident(incident([hostileEvent()])));
    expect(line.length).toBeLessThanOrEqual(300);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone.
    expect(line).not.toMatch(/[\n\r\u202E\u200B\u0000]/);
    expect(line).not.toContain('://');
    expect(line).not.toContain('AAAAAAAAAA');
  });

  it('puts an escalation reason after DRILL and before the rest', () => {
    const page = pageMessage(
      incident([awsRootSignIn()], { drill: true }),
      'escalated',
      'Severity raised from high to critical',
    );
    expect(headlineWithReason(page)).toMatch(
      /^DRILL · Severity raised from high to critical · root \(111122223333\) signed in/,
    );
  });
});

describe('shortUserAgent', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61',
      'Edge/120 on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36',
      'Chrome/67 on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      'Safari/17 on iOS',
    ],
    ['aws-cli/2.15.0 Python/3.11.6 Linux/5.10.0 exe/x86_64.amzn.2 prompt/off command/s3.ls', 'aws-cli/2.15.0 on Linux'],
    ['Boto3/1.28.0 md/Botocore#1.31.0 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11', 'Boto3/1.28.0 on Linux'],
    ['AWS Internal', 'AWS'],
    ['console.amazonaws.com', 'console.amazonaws.com'],
  ])('%s → %s', (ua, short) => {
    expect(shortUserAgent(ua)).toBe(short);
  });

  it('returns undefined for no user agent, and a capped first token for a hostile one', () => {
    expect(shortUserAgent(undefined)).toBeUndefined();
    expect(shortUserAgent(HOSTILE.bigUserAgent)).toBe('Mozilla/5.0');
    expect(shortUserAgent(`${'x'.repeat(200)} y`)?.length).toBeLessThanOrEqual(48);
  });

  it('takes the first event with a source address for the page', () => {
    const noSrc = awsActivity({ src: {} });
    expect(viewIncident(incident([noSrc, awsRootSignIn()])).ip).toBe('192.0.2.0');
  });
});
