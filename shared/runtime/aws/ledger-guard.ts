import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDeliveryLedger } from '../../adapters/dynamodb/delivery-ledger.js';
import type { SecretResolver } from '../../core/act/secrets.js';
import type { DeliveryLedger, DeliveryRecord } from '../../core/ports/delivery-ledger.js';
import { ConfigError } from './errors.js';
import { COUNT, METRIC, type Observability } from './observability.js';

/**
 * The delivery ledger as the deployed act stage sees it: only records it wrote itself count, and a
 * redriven message tries an action that failed once more.
 *
 * Why a seal as well as IAM: the template lets only the act-stage roles (responders, drill, heartbeat
 * and compliance checks) write `DLV#` items (`dynamodb:LeadingKeys`), but an account administrator, a
 * later role granted too much, or a restored backup can still put an item, and a "delivered" record
 * silences the page about that very person. So every record is sealed with HMAC-SHA256 over all its
 * fields (incident id, action, status, version, revision…) under a key only those roles can read
 * (the stack-generated `LedgerKeySecret`). A record whose seal does not verify is shown to the
 * deliverer as a fresh `pending` record with the stored revision — the page is sent and the next
 * compare-and-set replaces the forgery — and is reported through `onUntrusted` (metric + alarm). A
 * copy of a genuine record of another incident or action does not verify either: the ids are sealed.
 *
 * Why "failed by another message": a vendor 4xx marks the action `failed` so the ten receives of one
 * message never hammer a vendor that refuses the credential. SQS gives a redriven message a new
 * message id ("all redriven messages are considered new messages and are assigned a new messageID",
 * SQS Developer Guide, dead-letter queue redrive), so a `failed` record stamped with another message's
 * id is tried again by this one — once: the retry's own failure is stamped with this message's id.
 */
export interface LedgerGuardOptions {
  /** The sealing key; undefined: records are neither sealed nor checked (local runs, the operator's own files). */
  key?: () => Promise<string>;
  /** A stored record that does not carry a valid seal. */
  onUntrusted?: (record: Pick<DeliveryRecord, 'incidentId' | 'actionKey' | 'status'>) => void;
}

/** What the guard adds to a stored record. */
interface Stamps {
  /** HMAC-SHA256 (hex) of the record's other fields. */
  seal?: string;
  /** Queue message whose delivery attempt recorded the failure. */
  failedBy?: string;
}

/** A key shorter than this is refused: HMAC keys should be at least the hash's output (32 bytes). */
const MIN_KEY_LENGTH = 32;

export class GuardedDeliveryLedger implements DeliveryLedger {
  private messages = new Map<string, string>();

  constructor(
    private readonly inner: DeliveryLedger,
    private readonly options: LedgerGuardOptions = {},
  ) {}

  /** The queue message carrying each incident's change in the batch being handled (incident id → message id). */
  useMessages(byIncident: ReadonlyMap<string, string>): void {
    this.messages = new Map(byIncident);
  }

  async get(incidentId: string, actionKey: string): Promise<DeliveryRecord | undefined> {
    const record = await this.inner.get(incidentId, actionKey);
    return record && this.view(record);
  }

  async list(incidentId: string): Promise<DeliveryRecord[]> {
    return Promise.all((await this.inner.list(incidentId)).map((record) => this.view(record)));
  }

  async listByAction(actionKey: string): Promise<DeliveryRecord[]> {
    return Promise.all((await this.inner.listByAction(actionKey)).map((record) => this.view(record)));
  }

  async put(record: DeliveryRecord): Promise<void> {
    await this.inner.put(await this.stamped(record));
  }

  async compareAndSet(next: DeliveryRecord, expectedRevision: number | undefined): Promise<boolean> {
    return this.inner.compareAndSet(await this.stamped(next), expectedRevision);
  }

  /** The record as the deliverer may believe it. */
  private async view(stored: DeliveryRecord): Promise<DeliveryRecord> {
    const { seal, ...record } = stored as DeliveryRecord & Stamps;
    if (this.options.key && !(await this.verifies(record, seal))) {
      this.options.onUntrusted?.({ incidentId: record.incidentId, actionKey: record.actionKey, status: record.status });
      return {
        incidentId: record.incidentId,
        actionKey: record.actionKey,
        status: 'pending',
        attempts: 0,
        updatedAt: record.updatedAt,
        revision: record.revision,
      };
    }
    const current = this.messages.get(record.incidentId);
    if (record.status === 'failed' && current !== undefined && record.failedBy !== current) {
      return { ...record, status: 'pending' };
    }
    return record;
  }

  private async stamped(next: DeliveryRecord): Promise<DeliveryRecord> {
    const { seal: _seal, failedBy, ...record } = next as DeliveryRecord & Stamps;
    const by = next.status === 'failed' ? (this.messages.get(next.incidentId) ?? failedBy) : undefined;
    const unsealed: DeliveryRecord & Stamps = { ...record, ...(by ? { failedBy: by } : {}) };
    if (!this.options.key) return unsealed;
    const sealed: DeliveryRecord & Stamps = { ...unsealed, seal: await this.sign(unsealed) };
    return sealed;
  }

  private async verifies(record: DeliveryRecord, seal: string | undefined): Promise<boolean> {
    if (typeof seal !== 'string' || !/^[0-9a-f]{64}$/.test(seal)) return false;
    return timingSafeEqual(Buffer.from(seal, 'hex'), Buffer.from(await this.sign(record), 'hex'));
  }

  private async sign(record: DeliveryRecord): Promise<string> {
    const key = await (this.options.key as () => Promise<string>)();
    if (key.length < MIN_KEY_LENGTH)
      throw new Error(`delivery ledger key: ${key.length} characters, at least ${MIN_KEY_LENGTH} needed`);
    return createHmac('sha256', key).update(canonical(record)).digest('hex');
  }
}

/** JSON with keys sorted at every level and undefined members left out (as DynamoDB stores them). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The act stage's ledger on Lambda: DynamoDB, sealed with the key in the secret named by
 * GLASSWATCH_LEDGER_KEY_SECRET_REF. On Lambda (AWS_LAMBDA_FUNCTION_NAME set) the variable is required.
 */
export function actLedger(
  env: Readonly<Record<string, string | undefined>>,
  deps: { dynamo: DynamoDBClient; table: string; secrets: SecretResolver; observability: Observability },
): GuardedDeliveryLedger {
  const secretId = env.GLASSWATCH_LEDGER_KEY_SECRET_REF?.trim();
  if (!secretId && env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new ConfigError([
      'GLASSWATCH_LEDGER_KEY_SECRET_REF: must be set (the template passes LedgerKeySecret); without it a forged delivery record could silence a page',
    ]);
  }
  const { logger, metrics } = deps.observability;
  return new GuardedDeliveryLedger(new DynamoDeliveryLedger(deps.dynamo, deps.table), {
    ...(secretId ? { key: () => deps.secrets.resolve({ secretsManager: secretId }) } : {}),
    onUntrusted: (record) => {
      metrics.addMetric(METRIC.ledgerUntrusted, COUNT, 1);
      logger.error('delivery record not written by the act stage: ignored, the action is delivered again', record);
    },
  });
}
