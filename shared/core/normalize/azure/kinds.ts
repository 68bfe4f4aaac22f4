import type { AuditEvent } from '../../model/audit-event.js';
import { normalizeActivity } from './activity.js';
import { normalizeAudit } from './audit.js';
import { normalizeKeyVault } from './key-vault.js';
import type { AzureRecord } from './record.js';
import { normalizeSignIn } from './sign-in.js';
import type { RecordKind } from './tables.js';

/** The mapping per record kind, shared by both spellings. */
export const KIND_NORMALIZERS: Readonly<Record<RecordKind, (record: AzureRecord) => AuditEvent>> = {
  'sign-in': normalizeSignIn,
  audit: normalizeAudit,
  activity: normalizeActivity,
  keyvault: normalizeKeyVault,
};
