import { describe, expect, it } from 'vitest';
import { normalizeLogAnalyticsRow } from '../../../../shared/core/normalize/azure/index.js';
import type { JsonObject } from '../../../../shared/core/normalize/fields.js';
import { errorOf, sentinelRows } from './harness.js';

/**
 * The sign-in normalizer's own decisions (shared/core/normalize/azure/sign-in.ts), on variants of one
 * real SigninLogs row (Azure Sentinel training lab: Adele Vance, Azure Portal, from Azor, IL): the
 * outcome from the error code in each spelling, the actor by table, the place, and the time fallbacks.
 */

const [first] = sentinelRows('sign-in_adelete.la-json.jsonl');
const ROW = first?.row as JsonObject;
const origin = { location: 'test/sign-in', line: 1 };
const normalize = (changes: JsonObject) => normalizeLogAnalyticsRow({ ...structuredClone(ROW), ...changes }, origin);

describe('Entra sign-in normalizer', () => {
  it('reads the recorded row: a successful user sign-in with its place and the request id', () => {
    const event = normalize({});
    expect(event).toMatchObject({
      id: `azure:${ROW.Id}`,
      source: 'azure.signin',
      category: 'authentication',
      service: 'Azure Portal',
      outcome: 'success',
      actor: { type: 'User', upn: 'adelev@m365x816222.onmicrosoft.com', objectId: ROW.UserId },
      src: { geo: 'Azor, Tel Aviv, IL' },
    });
    expect(event.failureReason).toBeUndefined();
  });

  it('takes the outcome from Status.errorCode, else ResultType, in numbers or words; none is unknown', () => {
    const failed = normalize({ Status: { errorCode: 50126, failureReason: 'Invalid username or password.' } });
    expect(failed.outcome).toBe('failure');
    expect(failed.failureReason).toContain('Invalid username or password.');
    expect(normalize({ Status: {}, ResultType: '50057' }).outcome).toBe('failure');
    expect(normalize({ Status: {}, ResultType: 'Success' }).outcome).toBe('success');
    expect(normalize({ Status: {}, ResultType: 'Failure' }).outcome).toBe('failure');
    expect(normalize({ Status: {}, ResultType: null }).outcome).toBe('unknown');
  });

  it('a required second factor proves one only for a sign-in that succeeded', () => {
    const required = {
      AuthenticationRequirement: 'multiFactorAuthentication',
      AuthenticationDetails: '[]',
      MfaDetail: null,
    };
    expect(normalize({ ...required, Status: { errorCode: 0 } }).mfa?.used).toBe(true);
    // 50126: the password was wrong, the second factor never asked; no code: the record cannot tell.
    expect(normalize({ ...required, Status: { errorCode: 50126 } }).mfa?.used).toBeUndefined();
    expect(normalize({ ...required, Status: {}, ResultType: null }).mfa?.used).toBeUndefined();
  });

  it('a service-principal sign-in is acted by the service principal, never by a user', () => {
    const event = normalize({
      Type: 'AADServicePrincipalSignInLogs',
      ServicePrincipalId: '3b3b1c52-0fd5-4a2c-9a47-5e1b0c0f1e11',
      ServicePrincipalName: 'glasswatch-reader',
    });
    expect(event.actor).toEqual({
      type: 'ServicePrincipal',
      display: 'glasswatch-reader',
      objectId: '3b3b1c52-0fd5-4a2c-9a47-5e1b0c0f1e11',
    });
  });

  it('without CreatedDateTime and TimeGenerated, the earliest authentication step is the time; with none, an error naming the field', () => {
    const steps = [
      { authenticationStepDateTime: '2021-04-28T14:08:47Z', authenticationMethod: 'Password' },
      { authenticationStepDateTime: '2021-04-28T14:08:45.5Z', authenticationMethod: 'Previously satisfied' },
    ];
    const event = normalize({ CreatedDateTime: null, TimeGenerated: null, AuthenticationDetails: steps });
    expect(event.time).toBe('2021-04-28T14:08:45.500Z');
    const error = errorOf(
      normalizeLogAnalyticsRow,
      { ...structuredClone(ROW), CreatedDateTime: null, TimeGenerated: null, AuthenticationDetails: [] },
      origin,
    );
    expect(error.message).toContain('CreatedDateTime');
    expect(error.message).toContain('authentication step times');
  });
});
