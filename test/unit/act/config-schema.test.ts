import { describe, expect, it } from 'vitest';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { registrySchema } from '../../../shared/core/registry/schema.js';

describe('responders config', () => {
  it('accepts the scripted-check keys as written, with defaults filled in', () => {
    const config = respondersSchema.parse({
      pagerduty: { eventsUrl: 'http://127.0.0.1:8080/v2/enqueue', routingKey: 'R'.repeat(32) },
      jira: { baseUrl: 'http://localhost:8081', projectKey: 'SEC' },
    });
    expect(config.pagerduty?.eventsUrl).toBe('http://127.0.0.1:8080/v2/enqueue');
    expect(config.jira).toMatchObject({
      issueType: 'Task',
      email: { env: 'GLASSWATCH_JIRA_EMAIL' },
      apiToken: { env: 'GLASSWATCH_JIRA_API_TOKEN' },
    });
    expect(config.retry.maxAttempts).toBe(5);
  });

  it('defaults to the US PagerDuty endpoint and accepts the EU one', () => {
    expect(respondersSchema.parse({ pagerduty: { routingKey: 'k' } }).pagerduty?.eventsUrl).toBe(
      'https://events.pagerduty.com/v2/enqueue',
    );
    expect(
      respondersSchema.parse({
        pagerduty: { routingKey: 'k', eventsUrl: 'https://events.eu.pagerduty.com/v2/enqueue' },
      }).pagerduty?.eventsUrl,
    ).toContain('.eu.');
  });

  it.each([
    [{ pagerduty: {} }, 'exactly one of routingKey or routingKeySecret'],
    [{ pagerduty: { routingKey: 'k', routingKeySecret: { env: 'PD_KEY' } } }, 'exactly one'],
    [{ jira: { baseUrl: 'http://jira.example.com', projectKey: 'SEC' } }, 'https'],
    [{ jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC', apiToken: 'inline-token' } }, ''],
    [{ jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC', apitoken: { env: 'X' } } }, 'apitoken'],
    [{ sns: { topicArn: 'not-an-arn' } }, 'SNS topic ARN'],
    [{ fallbackPager: 'sns' }, 'needs responders.sns.topicArn'],
    [{ chat: { kind: 'discord' } }, ''],
  ])('rejects %j', (input, message) => {
    const result = respondersSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('is the registry schema of `responders`', () => {
    const registry = registrySchema.safeParse({
      accounts: [{ id: 'aws-root', cloud: 'aws', match: { arn: 'arn:aws:iam::111122223333:root' } }],
      responders: {
        pagerduty: { routingKey: 'R'.repeat(32) },
        jira: { baseUrl: 'https://x.atlassian.net', projectKey: 'SEC', typo: 1 },
      },
    });
    expect(registry.success).toBe(false);
    expect(JSON.stringify(registry.error?.issues)).toContain('typo');
  });
});
