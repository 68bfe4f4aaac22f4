import { describe, expect, it } from 'vitest';
import { rawEventQueries } from '../../../../shared/core/act/render/links.js';
import { awsActivity, awsRootSignIn, entraSignIn, gcpSetIamPolicy } from '../support/incidents.js';

describe('raw-event queries', () => {
  it('links a CloudTrail event by its id in the console event history, and gives the CLI lookup', () => {
    expect(rawEventQueries(awsRootSignIn())).toEqual([
      {
        label: 'CloudTrail event history',
        text: 'https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/deb1e1f9-c99b-4612-8e9f-21f93b5d79c0',
      },
      {
        label: 'AWS CLI',
        text: 'aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=deb1e1f9-c99b-4612-8e9f-21f93b5d79c0',
      },
    ]);
  });

  it('builds a URL-encoded Cloud Logging query by insertId for a valid project', () => {
    expect(rawEventQueries(gcpSetIamPolicy())).toEqual([
      {
        label: 'Cloud Logging',
        text: 'https://console.cloud.google.com/logs/query;query=insertId%3D%22mrbji0dal80%22?project=western-verve-123456',
      },
      { label: 'Logging query', text: 'insertId="mrbji0dal80"' },
    ]);
  });

  it('gives a KQL query on the table the Entra category lives in', () => {
    expect(rawEventQueries(entraSignIn())).toEqual([
      { label: 'Log Analytics (KQL)', text: 'SigninLogs | where Id == "a1b2c3d4-e5f6-7890-abcd-ef1234567890"' },
    ]);
  });

  it('never puts an id that fails its format check into a URL or query', () => {
    const forged = awsActivity({ id: 'aws:x"/../../evil#<script>', origin: 'logs/ct.json:7' });
    const [only, ...rest] = rawEventQueries(forged);
    expect(rest).toEqual([]);
    expect(only?.text).toBe("id not in the provider's format, so no query is built; read from logs/ct.json:7");
  });

  it('leaves the region out when it is malformed (perturbed Stratus sample regions)', () => {
    const queries = rawEventQueries(
      awsActivity({ id: 'aws:deb1e1f9-c99b-4612-8e9f-21f93b5d79c0', region: 'eu-west-2r' }),
    );
    expect(queries.map((q) => q.label)).toEqual(['AWS CLI']);
    expect(queries[0]?.text).not.toContain('--region');
  });
});
