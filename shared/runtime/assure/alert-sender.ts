import type { OutputName } from '../../core/act/actions.js';
import { type RespondersConfig, respondersSchema } from '../../core/act/config-schema.js';
import { Deliverer } from '../../core/act/delivery.js';
import { type Clock, type OutputDriver, systemClock } from '../../core/act/driver.js';
import { type Plan, planFor } from '../../core/act/plan.js';
import { buildReport, type DeliveryReport } from '../../core/act/report.js';
import { alertActions, type OperationalAlert } from '../../core/assure/alerts.js';
import type { DeliveryLedger } from '../../core/ports/delivery-ledger.js';

/**
 * Sends Glasswatch's own alerts (failed drills, silent sources, compliance tickets) through the act
 * stage's drivers and delivery ledger: each alert id is delivered once per output, whatever reruns.
 */
export interface AlertSender {
  readonly plan: Plan;
  /** `round`: a reminder of an alert already paged (see `alertActions`). */
  send(alert: OperationalAlert, reason?: 'opened' | 'resolved', round?: number): Promise<DeliveryReport>;
}

export interface AlertSenderDeps {
  drivers: Partial<Record<OutputName, OutputDriver>>;
  ledger: DeliveryLedger;
  clock?: Clock;
  random?: () => number;
}

/**
 * @example
 * const sender = createAlertSender(registry.responders, { drivers, ledger });
 * await sender.send(drillFailureAlert(result));
 */
export function createAlertSender(config: RespondersConfig | undefined, deps: AlertSenderDeps): AlertSender {
  const settings = config ?? respondersSchema.parse({});
  const plan = planFor(config);
  return {
    plan,
    async send(alert, reason = 'opened', round) {
      const deliverer = new Deliverer({
        ledger: deps.ledger,
        drivers: deps.drivers,
        retry: settings.retry,
        fallbackAfterAttempts: settings.fallbackAfterAttempts,
        clock: deps.clock ?? systemClock,
        random: deps.random ?? Math.random,
      });
      return buildReport(await deliverer.runAll(alertActions(alert, plan, reason, round)));
    },
  };
}
