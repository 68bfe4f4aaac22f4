import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../../shared/core/assure/coverage.js';
import { drillEvent } from '../../../shared/core/assure/drill/record.js';
import { DetectionPipeline } from '../../../shared/core/ingest/detection-pipeline.js';
import { InMemoryAssuranceStore } from '../../../shared/core/ports/in-memory-assurance-store.js';
import { recordIngestHealth } from '../../../shared/runtime/assure/ingest-health.js';
import { readFixtureJson, readFixtureJsonl } from '../../support/fixtures.js';
import { account, matcher } from './support/world.js';

/**
 * What an ingest run hands the heartbeat: the pipeline's newest event time per source kind and Region
 * (every event, matched or not; never a synthetic drill), written per transport.
 */

type Doc = Record<string, unknown>;

describe('DetectionPipeline.lastSeen → recordIngestHealth', () => {
  it('records the newest event per Region for EventBridge, one heartbeat for S3, and ignores drill events', async () => {
    const pipeline = new DetectionPipeline(matcher, {
      onFinding: () => {},
      onError: (e) => {
        throw e;
      },
    });
    for (const row of readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/eventbridge_cloudtrail_examples.jsonl')) {
      pipeline.document(row.event, { location: 'eventbridge:us-east-1:x', trustedTransport: 'eventbridge' });
    }
    pipeline.document(
      drillEvent(account('aws-prod-root'), { drillId: 'd-hb', now: new Date('2030-01-01T00:00:00Z') }),
      {
        location: 'drill',
        trustedTransport: 'eventbridge',
      },
    );
    expect([...pipeline.lastSeen.values()]).toEqual([
      {
        source: 'aws.cloudtrail',
        region: 'us-east-1',
        scope: '123456789012',
        timeMs: Date.parse('2016-02-20T01:09:13Z'),
        firstMs: Date.parse('2016-01-05T18:21:27Z'),
      },
    ]);

    const s3 = new DetectionPipeline(matcher, { onFinding: () => {}, onError: () => {} });
    const file = readFixtureJson<{ Records: Doc[] }>(
      'aws/aws-docs-cc-by-sa/cloudtrail-log-file-examples/example01.json',
    );
    file.Records.forEach((record, index) => {
      s3.record({ format: 'aws.cloudtrail', value: record, origin: { location: 's3://trail/key', index } });
    });

    const store = new InMemoryAssuranceStore();
    await recordIngestHealth(store, { transport: 'aws.eventbridge', lastSeen: pipeline.lastSeen.values() }, Date.now());
    await recordIngestHealth(store, { transport: 'aws.s3', lastSeen: s3.lastSeen.values() }, Date.now());
    const beats = await store.listHeartbeats();
    expect(beats.map((b) => `${b.source}#${b.region}`).sort()).toEqual([
      'cloudtrail-eventbridge#us-east-1',
      'cloudtrail-s3#-',
    ]);
    const newestInFile = Math.max(...file.Records.map((r) => Date.parse(String(r.eventTime))));
    expect(beats.find((b) => b.source === 'cloudtrail-s3')?.lastSeenMs).toBe(newestInFile);
    // Coverage: per path, source kind, scope and Region, with the span of event times.
    expect(await store.listCoverage()).toEqual([
      {
        path: 'aws.eventbridge',
        source: 'aws.cloudtrail',
        scope: '123456789012',
        region: 'us-east-1',
        firstSeenMs: Date.parse('2016-01-05T18:21:27Z'),
        lastSeenMs: Date.parse('2016-02-20T01:09:13Z'),
      },
      ...coverageOf('aws.s3', s3.lastSeen.values()),
    ]);
    expect(coverageOf('aws.s3', s3.lastSeen.values())).toContainEqual(
      expect.objectContaining({
        path: 'aws.s3',
        source: 'aws.cloudtrail',
        region: 'us-east-2',
        lastSeenMs: newestInFile,
      }),
    );
  });
});
