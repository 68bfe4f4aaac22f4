import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, NormalizeError } from '../../../../shared/core/normalize/errors.js';
import { normalize, openDocument, Skipped } from '../../../../shared/core/normalize/index.js';
import { readFixtureJsonl } from '../../../support/fixtures.js';

/**
 * Through the real dispatch (every envelope, skip rules, normalizers): only the two documented errors
 * may escape, and a skip is an outcome, not an error; anything else (TypeError, RangeError) is a bug.
 */
function onlyDocumentedErrors(doc: unknown): void {
  try {
    const opened = openDocument(doc, { location: 'fuzz' });
    if (opened instanceof Skipped) return;
    for (const record of opened) {
      const event = normalize(record);
      if (event instanceof Skipped) continue;
      expect(typeof event.id).toBe('string');
      expect(Number.isFinite(event.timeMs)).toBe(true);
      expect(typeof event.actor.display).toBe('string');
    }
  } catch (error) {
    if (!(error instanceof NormalizeError || error instanceof EnvelopeError)) throw error;
  }
}

/** Names an attacker might put in keys looked up from the record itself. */
const hostileName = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '');
const text = fc.oneof(fc.string(), hostileName);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyJson);

/** Records shaped like CloudTrail, each field either plausible or any JSON value. */
const cloudTrailLike = fc.record(
  {
    eventVersion: fc.constant('1.08'),
    eventTime: maybe(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constant('2024-02-30T25:61:00Z'),
      ),
    ),
    '@timestamp': maybe(fc.constant('2020-09-14T00:44:23.000Z')),
    eventSource: maybe(
      fc.constantFrom(
        'signin.amazonaws.com',
        'sts.amazonaws.com',
        'iam.amazonaws.com',
        'sso.amazonaws.com',
        '__proto__',
      ),
    ),
    eventName: maybe(
      fc.oneof(
        fc.constantFrom(
          'ConsoleLogin',
          'UserAuthentication',
          'AssumeRoot',
          'PasswordUpdated',
          'CreateAccessKey',
          'Authenticate',
        ),
        hostileName,
      ),
    ),
    eventID: maybe(text),
    eventType: maybe(fc.constantFrom('AwsApiCall', 'AwsServiceEvent', 'AwsConsoleSignIn', 'AwsCloudTrailInsight')),
    userIdentity: maybe(
      fc.record(
        {
          type: maybe(fc.constantFrom('Root', 'IAMUser', 'AssumedRole', 'Unknown', 'AWSService', 'constructor')),
          arn: maybe(text),
          userName: maybe(fc.oneof(text, fc.constant('HIDDEN_DUE_TO_SECURITY_REASONS'))),
          accountId: maybe(fc.constantFrom('111122223333', '')),
          invokedBy: maybe(fc.constantFrom('signin.amazonaws.com', 'ec2.amazonaws.com', 'AWS Internal')),
          sessionContext: maybe(
            fc.record({ attributes: maybe(fc.record({ mfaAuthenticated: maybe(fc.constantFrom('true', 'false')) })) }),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    requestParameters: maybe(
      fc.record({ userName: maybe(text), targetPrincipal: maybe(text), name: maybe(text) }, { requiredKeys: [] }),
    ),
    responseElements: maybe(fc.dictionary(text, maybe(fc.constantFrom('Success', 'Failure', 'SUCCESS')))),
    serviceEventDetails: maybe(fc.dictionary(text, maybe(fc.constantFrom('Success', 'Failure')))),
    additionalEventData: maybe(
      fc.record(
        {
          MFAUsed: maybe(fc.constantFrom('Yes', 'YES', 'No')),
          CredentialType: maybe(fc.constantFrom('PASSWORD', 'PASSWORD,TOTP', ',,')),
        },
        { requiredKeys: [] },
      ),
    ),
    resources: maybe(fc.array(maybe(fc.record({ ARN: maybe(text) })))),
    errorCode: maybe(text),
    errorMessage: maybe(text),
    awsRegion: maybe(fc.constantFrom('us-east-1', 'cn-north-1', 'eu-west-2r')),
    recipientAccountId: maybe(text),
  },
  { requiredKeys: [] },
);

/** Envelopes around those records, plus anything at all. */
const document = fc.oneof(
  anyJson,
  cloudTrailLike,
  fc.array(maybe(cloudTrailLike), { maxLength: 3 }).map((Records) => ({ Records })),
  fc.record({
    'detail-type': maybe(
      fc.constantFrom(
        'AWS API Call via CloudTrail',
        'AWS Service Event via CloudTrail',
        'AWS Console Signin via CloudTrail',
        'AWS Insight via CloudTrail',
        'Sign-in Anomaly Alert',
      ),
    ),
    source: maybe(fc.constantFrom('aws.s3', 'aws.signin')),
    detail: maybe(cloudTrailLike),
  }),
);

describe('CloudTrail envelopes + normalizer under random input', () => {
  it('throw nothing but NormalizeError or EnvelopeError', () => {
    fc.assert(fc.property(document, onlyDocumentedErrors), { numRuns: 3000 });
  });

  it('real records with one field replaced by random JSON still fail only with NormalizeError', () => {
    const location = 'aws/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson';
    const records = readFixtureJsonl<Record<string, unknown>>(location);
    const mutation = fc.record({
      index: fc.nat({ max: records.length - 1 }),
      key: fc.constantFrom(
        'eventTime',
        '@timestamp',
        'eventName',
        'eventSource',
        'userIdentity',
        'eventID',
        'requestParameters',
        'resources',
        'awsRegion',
      ),
      value: fc.oneof(anyJson, fc.constant(undefined)),
    });
    fc.assert(
      fc.property(mutation, ({ index, key, value }) => {
        const record = structuredClone(records[index]) as Record<string, unknown>;
        record[key] = value;
        onlyDocumentedErrors(record);
      }),
      { numRuns: 1000 },
    );
  });
});
