import type { Finding, Severity, VaultWrap } from '../model/finding.js';
import type { IncidentRepository } from '../ports/incident-repository.js';

/**
 * Joins HashiCorp Vault's approval path to the wrapped read it approves (detect/vault-wrapping.ts). The
 * wrapped read of a break-glass secret (a `credential.access` finding carrying `wrap`) is written to the
 * incident store under its token and its accessor, as the audit device wrote them (HMACs, equal for equal
 * values on one device); a control-group authorization names the accessor, an unwrap the token (or the
 * token as client token, with its accessor). Only the store is trusted: an authorization or unwrap
 * joins a read this pipeline recorded, in this batch (earlier in time) or before it.
 * - an authorization joins the read's incident (the approver is its principal) and is recorded;
 * - an unwrap is the disclosure: an opening of its own, approved when an authorization was recorded or
 *   the reader was an approved reader, else critical, "unwrapped without a recorded authorization";
 * - an authorization or unwrap that joins no recorded read is not about a break-glass credential: dropped.
 * What cannot join: an authorization on a device with `hmac_accessor=false` (the read's accessor is
 * plain, the request data HMAC'd) — its unwrap still joins by the token; entries of two audit devices
 * (two salts).
 */
const PREFIX = 'vault-wrap#';
/**
 * A wrapping token lives its `wrap_info.ttl` (a control group's at most `max_ttl`, 4 h by default,
 * sys/config/control-group); a day more covers late deliveries of the unwrap's log.
 */
const WRAP_LINK_MS = 24 * 60 * 60_000;

/** What the store keeps per wrapped read (under its token and its accessor), as the alias's target. */
interface WrappedRead {
  key: string;
  account: string;
  token: string;
  store: string;
  readerApproved: boolean;
}

const tokenAlias = (ns: string, token: string) => `${PREFIX}${ns}#token#${token}`;
const accessorAlias = (ns: string, accessor: string) => `${PREFIX}${ns}#accessor#${accessor}`;
const authorizedAlias = (ns: string, token: string) => `${PREFIX}${ns}#authorized#${token}`;

/** The findings with authorizations and unwraps joined to their reads. `write: false` only reads (reports). */
export async function joinWrappedOpenings(
  repository: IncidentRepository,
  findings: readonly Finding[],
  write = true,
): Promise<Finding[]> {
  if (!findings.some((f) => f.wrap !== undefined)) return [...findings];
  const save = async (alias: string, target: string, untilMs: number) => {
    if (write) await repository.saveAlias(alias, target, untilMs);
  };
  const load = async (alias: string, atMs: number): Promise<string | undefined> => {
    const stored = await repository.loadAlias(alias);
    return stored !== undefined && atMs < stored.expiresAtMs ? stored.correlationKey : undefined;
  };
  const readOf = async (wrap: VaultWrap, atMs: number): Promise<WrappedRead | undefined> => {
    const stored =
      (wrap.token && (await load(tokenAlias(wrap.namespace, wrap.token), atMs))) ||
      (wrap.accessor && (await load(accessorAlias(wrap.namespace, wrap.accessor), atMs)));
    return stored ? (JSON.parse(stored) as WrappedRead) : undefined;
  };
  const joined = new Map<Finding, Finding | undefined>();
  for (const finding of [...findings].sort((a, b) => a.event.timeMs - b.event.timeMs)) {
    const wrap = finding.wrap;
    if (wrap === undefined) continue;
    const atMs = finding.event.timeMs;
    if (wrap.role === 'wrapped') {
      if (finding.account === null || wrap.token === undefined) continue;
      const read: WrappedRead = {
        key: finding.correlationKey,
        account: finding.account,
        token: wrap.token,
        store: wrap.store ?? '(store unknown)',
        readerApproved: wrap.readerApproved === true,
      };
      const until = atMs + (wrap.ttlSeconds ?? 0) * 1000 + WRAP_LINK_MS;
      await save(tokenAlias(wrap.namespace, wrap.token), JSON.stringify(read), until);
      if (wrap.accessor) await save(accessorAlias(wrap.namespace, wrap.accessor), JSON.stringify(read), until);
      continue;
    }
    const read = await readOf(wrap, atMs);
    if (read === undefined) {
      joined.set(finding, undefined);
      continue;
    }
    const on = { ...finding, account: read.account, correlationKey: read.key };
    if (wrap.role === 'authorize') {
      await save(authorizedAlias(wrap.namespace, read.token), finding.principal, atMs + WRAP_LINK_MS);
      const note = `Vault control-group authorization by ${finding.principal} of the held read of ${read.store}`;
      joined.set(finding, {
        ...on,
        note,
        title: `Vault control-group authorization of the break-glass credential read; ${note}`,
      });
      continue;
    }
    const approver = await load(authorizedAlias(wrap.namespace, read.token), atMs);
    const approval = approver !== undefined ? 'authorized' : read.readerApproved ? 'approved' : 'outside';
    const severity: Severity = approval === 'outside' ? 'critical' : 'high';
    const why =
      approver !== undefined
        ? `authorized by ${approver}`
        : read.readerApproved
          ? 'read by an approved reader, no authorization recorded'
          : 'unwrapped without a recorded authorization';
    joined.set(finding, {
      ...on,
      severity,
      title: `Vault unwrap of the break-glass credential (${why}); ${read.store}`,
      note: `Vault unwrap of ${read.store}: ${why}`,
      opening: { store: read.store, approval },
    });
  }
  return findings.flatMap((f) => {
    if (!joined.has(f)) return [f];
    const moved = joined.get(f);
    return moved ? [moved] : [];
  });
}
