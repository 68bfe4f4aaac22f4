import { describe, expect, it } from 'vitest';
import type { Action, OutputName } from '../../../../shared/core/act/actions.js';
import { type RespondersInput, respondersSchema } from '../../../../shared/core/act/config-schema.js';
import type { OutputDriver } from '../../../../shared/core/act/driver.js';
import { createResponders } from '../../../../shared/core/act/responders.js';
import type { AttemptResult } from '../../../../shared/core/act/retry-policy.js';
import { reviewActions } from '../../../../shared/core/assure/drill/observe.js';
import { AWS_DRILL_BOUNDS, type DrillResult, drillTimings } from '../../../../shared/core/assure/drill/steps.js';
import { Correlator } from '../../../../shared/core/correlate/correlator.js';
import { RULES } from '../../../../shared/core/detect/rules/index.js';
import { DetectionPipeline } from '../../../../shared/core/ingest/detection-pipeline.js';
import type { Finding } from '../../../../shared/core/model/finding.js';
import { InMemoryDeliveryLedger } from '../../../../shared/core/ports/in-memory-delivery-ledger.js';
import { parseRegistry, RegistryMatcher } from '../../../../shared/core/registry/index.js';
import { type DrillEnvironment, runDrill } from '../../../../shared/runtime/assure/drill-runner.js';
import { finding } from '../../../support/findings.js';
import { account, ManualClock, MemoryIncidentRepository, matcher, REGISTRY_YAML, registry } from '../support/world.js';

/**
 * The drill runner on a hand-moved clock, with the real pipeline, correlator and act stage, and vendor
 * drivers that take as long (or fail) as each case needs: bounds are checked without waiting.
 */

const START = Date.parse('2026-03-02T12:00:00Z');
const CONFIG: RespondersInput = {
  pagerduty: { routingKey: 'test-routing-key' },
  jira: { baseUrl: 'https://example.atlassian.net', projectKey: 'SEC' },
  retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 200, maxRetryAfterMs: 1000, timeoutMs: 1000 },
};

type Behaviour = (action: Action) => AttemptResult | { delayMs: number; result: AttemptResult };

function setup(behaviour: Partial<Record<OutputName, Behaviour>> = {}, world = { registry, matcher }) {
  const clock = new ManualClock(START);
  const repository = new MemoryIncidentRepository();
  const ledger = new InMemoryDeliveryLedger();
  const sent: Action[] = [];
  const driver = (output: OutputName): OutputDriver => ({
    async deliver(action) {
      sent.push(action);
      const outcome = behaviour[output]?.(action) ?? { delayMs: output === 'jira' ? 4000 : 1500, result: { ok: true } };
      if ('delayMs' in outcome) {
        await clock.until(outcome.delayMs);
        return outcome.result;
      }
      return outcome;
    },
  });
  const config = respondersSchema.parse(CONFIG);
  const responders = createResponders(config, {
    drivers: { pagerduty: driver('pagerduty'), jira: driver('jira') },
    ledger,
    registry: world.registry,
    rules: RULES,
    clock,
    random: () => 0.5,
  });
  const correlator = new Correlator(repository, world.matcher);
  const background: Promise<unknown>[] = [];
  const env: DrillEnvironment = {
    runtime: 'local',
    plan: responders.plan,
    responders: config,
    clock,
    pollMs: 1000,
    repository,
    sessionGapMs: world.matcher.sessionGapMs('aws-prod-root'),
    async inject(event) {
      const findings: Finding[] = [];
      new DetectionPipeline(world.matcher, {
        onFinding: (f) => findings.push(f),
        onError: (e) => {
          throw e;
        },
      }).document(event, {
        location: 'test',
        trustedTransport: 'in-process',
      });
      const changes = await correlator.record(findings);
      background.push(responders.handle(changes));
    },
    deliveries: (id) => ledger.list(id),
    async publish(changes) {
      background.push(responders.handle(changes));
    },
  };
  /** Waits for the background act stage, moving the clock for the vendor calls still "in flight". */
  const settle = async () => {
    let done = false;
    void Promise.all(background).then(() => {
      done = true;
    });
    while (!done) await clock.sleep(1000);
  };
  return { env, clock, repository, sent, settle, plan: responders.plan };
}

const step = (result: DrillResult, name: string) => result.steps.find((s) => s.step === name);

describe('runDrill', () => {
  it('follows the drill event to a DRILL page, a ticket and a closed incident, with each latency', async () => {
    const { env, repository, sent, settle, plan } = setup();
    const result = await runDrill(env, account('aws-prod-root'), { bounds: AWS_DRILL_BOUNDS, drillId: 'd-pass' });
    await settle();
    expect(result.status).toBe('passed');
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([
      ['inject', 'passed'],
      ['incident', 'passed'],
      ['page', 'passed'],
      ['ticket', 'passed'],
      ['close', 'passed'],
      ['review', 'passed'],
    ]);
    const incident = await repository.getIncident(result.incidentId ?? '');
    expect(incident).toMatchObject({ drill: true, status: 'closed', severity: 'low' });
    // The review the aftermath plans for the closed drill (a Jira review task here) was delivered.
    const planned = reviewActions(
      plan,
      respondersSchema.parse(CONFIG),
      incident as never,
      account('aws-prod-root'),
      matcher.sessionGapMs('aws-prod-root'),
    );
    expect(planned.length).toBeGreaterThan(0);
    expect(sent.map((a) => a.key)).toEqual(expect.arrayContaining(planned.map((a) => a.key)));
    const t = drillTimings(result);
    expect(t.pageMs).toBeGreaterThanOrEqual(1500);
    expect(t.ticketMs).toBeGreaterThanOrEqual(4000);
    expect(t.incidentMs).toBeLessThan(t.pageMs ?? 0);
    const page = sent.find((a) => a.kind === 'page');
    expect(page?.kind === 'page' && page.page.headline.startsWith('DRILL · ')).toBe(true);
    expect(page?.kind === 'page' && page.page.severity).toBe('low');
    expect(sent.map((a) => a.key)).toContain('resolve:pagerduty');
  });

  it.each([
    [
      'aws-prod-root',
      'owners: [secops@example.com] }',
      '{ secretsManager: prod/breakglass/root }',
      'arn:aws:iam::111122223333:role/BreakGlassCustodian',
      ['aws:glasswatch-drill-d-open-opening', 'aws:glasswatch-drill-d-open'],
    ],
    [
      'entra-emergency',
      'emergency@contoso.onmicrosoft.com } }',
      '{ keyVault: { vault: bg-vault-prod, secret: entra-ea2-password } }',
      'd9da5048-2737-4770-bd64-0f1e2d3c4b5a',
      [
        expect.stringMatching(/^azure:kv:.*\|SecretGet\|.*\|glasswatch-drill-d-open-opening$/),
        'azure:glasswatch-drill-d-open',
      ],
    ],
    [
      'aws-prod-root',
      'owners: [secops@example.com] }',
      '{ vault: { path: secret/data/breakglass/root, namespace: admin } }',
      'e2853091-6c3c-2200-3ff7-0b664ed70c4d',
      ['vault:glasswatch-drill-d-open-opening', 'aws:glasswatch-drill-d-open'],
    ],
    [
      'gcp-super-admin',
      'breakglass@example.com } }',
      '{ gcpSecret: projects/bg-vault-prod/secrets/super-admin-password }',
      'user:custodian@example.com',
      [
        expect.stringMatching(/\|glasswatch-drill-d-open-opening$/),
        expect.stringMatching(/\|glasswatch-drill-d-open$/),
      ],
    ],
  ])(
    '%s: the drill reads the credential from its declared store (%s) before the sign-in, one drill incident holds both',
    async (id, anchor, store, reader, ids) => {
      const withStore = parseRegistry(
        REGISTRY_YAML.replace(
          anchor,
          `${anchor.slice(0, -1)}, credential: { stores: [${store}], approvedReaders: ["${reader}"] } }`,
        ),
        'drill-with-store.yaml',
      );
      const world = { registry: withStore, matcher: new RegistryMatcher(withStore) };
      const target = world.matcher.account(id);
      expect(target?.credential?.stores).toHaveLength(1);
      if (!target) throw new Error(`${id} missing`);
      const { env, repository, settle, sent } = setup({}, world);
      const result = await runDrill(env, target, { bounds: AWS_DRILL_BOUNDS, drillId: 'd-open' });
      await settle();
      expect(result.steps.filter((s) => s.status !== 'passed')).toEqual([]);
      const incident = await repository.getIncident(result.incidentId ?? '');
      expect(incident?.events.map((e) => e.id)).toEqual(ids);
      expect(incident?.events[0]?.kinds).toEqual(['credential.access']);
      // The drill's reader is the approved one: the opening went through the approval path.
      expect(incident?.events[0]?.severities).toEqual({ 'credential.access': 'high' });
      expect(incident?.detections).toEqual(expect.arrayContaining(['credential.access', 'signin.success']));
      expect(incident?.detections).not.toContain('signin.without-opening');
      expect(incident).toMatchObject({ drill: true, severity: 'low', account: id });
      expect(sent.filter((a) => a.kind === 'page' && a.incidentId === incident?.id)).toHaveLength(1);
    },
  );

  it('fails the page step at once when the pager refuses the page, and still closes the drill incident', async () => {
    const { env, repository, settle } = setup({
      pagerduty: () => ({ ok: false, retryable: false, status: 400, error: 'pagerduty 400: invalid routing key' }),
    });
    const result = await runDrill(env, account('aws-prod-root'), { bounds: AWS_DRILL_BOUNDS });
    await settle();
    expect(result.status).toBe('failed');
    expect(step(result, 'page')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/page:pagerduty failed: pagerduty 400/),
    });
    expect(step(result, 'ticket')?.status).toBe('passed');
    expect((await repository.getIncident(result.incidentId ?? ''))?.status).toBe('closed');
  });

  it('fails a step observed after its bound, saying how late', async () => {
    const { env, settle } = setup({ jira: () => ({ delayMs: 400_000, result: { ok: true } }) });
    const result = await runDrill(env, account('aws-prod-root'), { bounds: AWS_DRILL_BOUNDS });
    await settle();
    expect(step(result, 'page')?.status).toBe('passed');
    expect(step(result, 'ticket')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/not seen|but after/),
    });
    expect(result.status).toBe('failed');
  });

  it('skips the drill while a real incident of the account is open', async () => {
    const { env, repository } = setup();
    await new Correlator(repository, matcher).record([
      finding({ id: 'real', time: new Date(START - 10 * 60_000).toISOString(), kind: 'signin.success' }),
    ]);
    const result = await runDrill(env, account('aws-prod-root'), { bounds: AWS_DRILL_BOUNDS });
    expect(result.status).toBe('skipped');
    expect(result.reason).toMatch(/real incident .* is open/);
    expect(result.steps.every((s) => s.status === 'skipped')).toBe(true);
  });

  it('fails at inject when the ingest path refuses the event, skipping the rest', async () => {
    const { env } = setup();
    env.inject = async () => {
      throw new Error('AccessDenied');
    };
    const result = await runDrill(env, account('gcp-super-admin'), { bounds: AWS_DRILL_BOUNDS });
    expect(result.steps.map((s) => s.status)).toEqual([
      'failed',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(step(result, 'inject')?.detail).toMatch(/AccessDenied/);
  });

  it('fails the incident step when the event never becomes an incident within its bound', async () => {
    const { env, clock } = setup();
    env.inject = async () => {};
    const result = await runDrill(env, account('entra-emergency'), { bounds: AWS_DRILL_BOUNDS });
    expect(step(result, 'incident')).toMatchObject({
      status: 'failed',
      detail: 'not seen: no incident holds the drill event yet',
    });
    expect(clock.now() - START).toBeGreaterThanOrEqual(AWS_DRILL_BOUNDS.incident);
  });
});
