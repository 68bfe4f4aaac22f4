import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRotationEvidence } from '../../../shared/core/act/aftermath/rotation-seen.js';
import { CloudTrailScreen } from '../../../shared/core/ingest/cloudtrail-screen.js';
import { DetectionPipeline } from '../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../shared/core/ingest/json-splitter.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { FIXTURES_DIR } from '../../support/fixtures.js';
import { IDENTITY_REGISTRY } from '../../support/identity-shapes.js';
import { paths, replaceAt } from '../../support/mutate.js';
import { TAMPER_PIPELINE } from '../../support/tamper-cases.js';

/**
 * The screen may only pass over a record the full path would turn into an event and nothing else: the
 * same findings, errors, skips, rotation evidence, counts and coverage with and without it, for every
 * CloudTrail record in the fixtures (real samples and records written from the vendors' pages), under
 * registries that name roots, users, roles, patterns, credential stores, groups and the pipeline — and
 * one that names nobody the records mention, so only the watched-call table keeps records in.
 */

type Json = Record<string, unknown>;

function isCloudTrailRecord(value: Json): boolean {
  return 'eventVersion' in value || ('eventSource' in value && 'userIdentity' in value);
}

/** Every CloudTrail record inside any JSON or JSON-lines fixture, however it is wrapped. */
function fixtureRecords(): Json[] {
  const found = new Map<string, Json>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const v of value) visit(v);
    else if (value !== null && typeof value === 'object') {
      if (isCloudTrailRecord(value as Json)) found.set(JSON.stringify(value), value as Json);
      else for (const v of Object.values(value)) visit(v);
    }
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.jsonl?$/.test(entry.name)) visit(documents(readFileSync(path, 'utf8')));
    }
  };
  walk(FIXTURES_DIR);
  return [...found.values()];
}

/** A JSON document, or JSON lines (some `.json` samples are several documents); malformed lines are left out. */
function documents(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line)] : [];
      } catch {
        return [];
      }
    });
  }
}

const RECORDS = fixtureRecords();

const REGISTRIES: Record<string, string> = {
  bench: readFileSync(join(import.meta.dirname, '../../../bench/registry.yaml'), 'utf8'),
  identities: IDENTITY_REGISTRY,
  tamper: TAMPER_PIPELINE,
  roots: `accounts:
  - { id: member-roots, cloud: aws, match: { arn: "arn:aws:iam::*:root" } }
  - { id: ops-user, cloud: aws, match: { userName: breakglass, accountId: "111111111111" } }
  - { id: sts-session, cloud: aws, match: { arn: "arn:aws:sts::*:assumed-role/Admin*" } }`,
  nobody: `accounts:
  - id: nobody
    cloud: aws
    match: { userName: zz-nobody-zz }
    credential:
      stores: [{ secretsManager: prod/breakglass/root }, { ssmParameter: /breakglass/root }]
groups:
  - { id: idc-emergency, cloud: aws, match: { groupId: "9067a5b1c2-7afcdc23-0bd4-4fb7-b2ff-10ccffd1a2b3" } }
pipeline: { aws: { trailBucket: org-trail-logs-111111111111 } }`,
};

/**
 * A `{"Records":[…]}` log file through the splitter and the pipeline: everything the pipeline tells.
 * `split`: the screen also splits the file (one scan per record, as replay and the S3 path read files),
 * the text pushed in pieces of that many characters so records straddle them.
 */
function replay(records: readonly Json[], matcher: RegistryMatcher, screen: boolean, split?: number) {
  const out = { findings: [] as unknown[], errors: [] as string[], skips: [] as string[], rotations: [] as string[] };
  let normalized = 0;
  let screenedBySplitter = 0;
  const pipeline = new DetectionPipeline(
    matcher,
    {
      onFinding: (f) => out.findings.push({ ...f, event: { ...f.event, raw: null } }),
      onError: (e) => out.errors.push(`${e.name}: ${e.message}`),
      onSkip: (s) => out.skips.push(`${s.kind} ${s.reason}`),
      onEvent: (event) => {
        normalized++;
        if (isRotationEvidence(event)) out.rotations.push(event.id);
      },
    },
    { screen },
  );
  const splitter = new JsonSplitter(
    (chunk) => {
      if (chunk.screened) screenedBySplitter++;
      pipeline.chunk(chunk, splitter.container ?? 'document', 'trail.json');
    },
    split === undefined ? undefined : pipeline.screen,
  );
  const text = JSON.stringify({ Records: records }, null, split === undefined ? 0 : 1);
  for (let at = 0; at < text.length; at += split ?? text.length)
    splitter.push(text.slice(at, at + (split ?? text.length)));
  splitter.end();
  return { ...out, counts: pipeline.counts, lastSeen: [...pipeline.lastSeen.values()], normalized, screenedBySplitter };
}

/** A DescribeInstances call by an IAM user: a record no rule watches unless the user is watched. */
function describeInstancesBy(userName: string): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', accountId: '111122223333', userName },
    eventTime: '2026-11-01T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.1',
    requestParameters: null,
    responseElements: null,
    eventID: '3e7f1c9a-0000-4000-8000-000000000001',
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  });
}

describe('CloudTrail screen', () => {
  it('reads the fixtures: hundreds of CloudTrail records in every shape', () => {
    expect(RECORDS.length).toBeGreaterThan(300);
  });

  for (const [name, text] of Object.entries(REGISTRIES)) {
    it(`changes nothing the pipeline tells, registry "${name}"`, () => {
      const matcher = new RegistryMatcher(parseRegistry(text, `${name}.yaml`));
      expect(CloudTrailScreen.of(matcher)).toBeDefined();
      const full = replay(RECORDS, matcher, false);
      const screened = replay(RECORDS, matcher, true);
      const { normalized, screenedBySplitter: __, ...tells } = screened;
      const { normalized: all, screenedBySplitter: ___, ...fullTells } = full;
      expect(tells).toEqual(fullTells);
      // Split and screened in one scan, pretty-printed, pushed in pieces: the same again, lines included.
      const { normalized: splitNormalized, screenedBySplitter, ...splitTells } = replay(RECORDS, matcher, true, 777);
      const { normalized: _, screenedBySplitter: none, ...walkedTells } = replay(RECORDS, matcher, false, 777);
      expect(splitTells).toEqual(walkedTells);
      expect(splitNormalized).toBe(normalized);
      expect(screenedBySplitter).toBe(all - normalized);
      expect(none).toBe(0);
      expect(full.findings.length).toBeGreaterThan(0);
      // Not a screen that lets nothing through: most records are passed over.
      expect(all - normalized).toBeGreaterThan(RECORDS.length / 3);
    });
  }

  it('changes nothing when a field the normalizer reads has the wrong type, at any depth', () => {
    const matcher = new RegistryMatcher(parseRegistry(REGISTRIES.nobody as string, 'nobody.yaml'));
    const mutants: Json[] = [];
    for (const record of RECORDS.slice(0, 60)) {
      for (const path of paths(record)) {
        if (path.length === 0 || path.length > 4) continue;
        for (const replacement of [{}, [], 7, true, null, ''])
          mutants.push(replaceAt(record, path, replacement) as Json);
      }
    }
    expect(mutants.length).toBeGreaterThan(5000);
    const full = replay(mutants, matcher, false);
    const { normalized, screenedBySplitter: _, ...tells } = replay(mutants, matcher, true);
    const { normalized: all, screenedBySplitter: __, ...fullTells } = full;
    expect(tells).toEqual(fullTells);
    expect(full.errors.length).toBeGreaterThan(500);
    expect(all - normalized).toBeGreaterThan(1000);
  });

  it('reads in full a record naming a watched user in another case, or with a Kelvin sign for its k', () => {
    const matcher = new RegistryMatcher(parseRegistry(REGISTRIES.bench as string, 'bench.yaml'));
    const screen = CloudTrailScreen.of(matcher) as CloudTrailScreen;
    const as = describeInstancesBy;
    expect(screen.pass(as('someone-else'))).toBeDefined();
    for (const name of ['break-glass-admin', 'Break-Glass-ADMIN', 'brea\u212a-glass-admin']) {
      expect(screen.pass(as(name)), name).toBeUndefined();
      expect(replay([JSON.parse(as(name))], matcher, false).findings.length, name).toBeGreaterThan(0);
    }
  });

  it('reads the same text again from an earlier point as the first time (an escape or a name is not skipped)', () => {
    const matcher = new RegistryMatcher(parseRegistry(REGISTRIES.bench as string, 'bench.yaml'));
    const screen = CloudTrailScreen.of(matcher) as CloudTrailScreen;
    const record = describeInstancesBy;
    const plain = record('someone-else');
    // An escaped name (\u0062 is b) and the watched name itself, after a plain record.
    for (const watched of [plain.replace('someone-else', '\\u0062reak-glass-admin'), record('break-glass-admin')]) {
      const text = `${plain},${watched},${plain}`;
      const starts = [0, plain.length + 1, plain.length + watched.length + 2];
      const verdicts = () =>
        starts.map((at) => {
          const end = screen.read(text, at);
          return end < 0 ? end : screen.verdict !== null;
        });
      const first = verdicts();
      expect(first[1]).not.toBe(true);
      // The same text again, from its start.
      expect(verdicts()).toEqual(first);
    }
  });

  it('the needles of a registry: names, root, ARNs, patterns; none when an entry has nothing literal', () => {
    const needles = (accounts: string) =>
      new RegistryMatcher(parseRegistry(`accounts:\n${accounts}`, 'r.yaml')).awsTextNeedles();
    expect(
      needles(`  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: b, cloud: aws, match: { arn: "arn:aws:iam::111122223333:role/ops/BreakGlass" } }
  - { id: c, cloud: aws, match: { arn: "arn:aws:iam::*:user/bg-*" } }
  - { id: d, cloud: aws, match: { arn: "arn:aws:sts::111122223333:federated-user/Bob" } }
  - { id: e, cloud: aws, match: { userName: Emergency.Admin } }
  - { id: f, cloud: gcp, match: { email: admin@example.com } }`),
    ).toEqual(['root', 'breakglass', 'bg-', 'arn:aws:sts::111122223333:federated-user/bob', 'emergency.admin']);
    expect(needles('  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::*:role/*" } }')).toBeUndefined();
    expect(needles('  - { id: a, cloud: aws, match: { userName: ab } }')).toBeUndefined();
    expect(needles('  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:role/*" } }')).toEqual([
      '111122223333',
    ]);
  });

  it('is off for a registry whose AWS names cannot be screened for (every record read in full)', () => {
    const matcher = new RegistryMatcher(
      parseRegistry('accounts: [{ id: a, cloud: aws, match: { arn: "arn:aws:iam::*:role/*" } }]', 'r.yaml'),
    );
    expect(CloudTrailScreen.of(matcher)).toBeUndefined();
    const nonAscii = new RegistryMatcher(
      parseRegistry('accounts: [{ id: a, cloud: aws, match: { userName: "ådmin-notfall" } }]', 'r.yaml'),
    );
    expect(CloudTrailScreen.of(nonAscii)).toBeUndefined();
  });
});
