import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Action } from '../../core/act/actions.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { toMarkdown } from '../../core/act/render/markdown.js';
import { toSns } from '../../core/act/render/sns.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { hashKey } from '../http/vendor-key.js';

/**
 * The local responder when none is configured: `pages/<incident>.txt` (what an e-mail/SMS page would
 * say) and `tickets/<incident>.md` (the whole ticket, Markdown-escaped) under one folder. Each write
 * replaces the file with the incident's full current state, so writes are idempotent and a re-run
 * leaves the same files. Files are written to a temporary name and renamed: a reader never sees half.
 */

export interface OutboxDeps {
  /** Folder, default `.glasswatch/outbox` (relative to the working directory). */
  dir: string;
}

/** A file name for an incident id: the id when it is plain, else a readable part and a hash. */
export function fileStem(incidentId: string): string {
  if (/^[A-Za-z0-9._-]{1,100}$/.test(incidentId) && !incidentId.startsWith('.')) return incidentId;
  const readable = incidentId
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 60);
  return `${readable}${readable ? '-' : ''}${hashKey(incidentId, 12)}`;
}

export function createOutboxDriver(deps: OutboxDeps): OutputDriver {
  const root = resolve(deps.dir);
  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'outbox.write') return { ok: false, retryable: false, error: `outbox cannot ${action.kind}` };
      const stem = fileStem(action.incidentId);
      const page = toSns(action.page);
      const files = {
        page: join(root, 'pages', `${stem}.txt`),
        ticket: join(root, 'tickets', `${stem}.md`),
      };
      try {
        await writeAtomically(files.page, `Subject: ${page.subject}\n\n${page.message}\n`);
        await writeAtomically(files.ticket, toMarkdown(action.ticket));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        // A full disk or a permission problem will not clear up by itself within a run.
        return {
          ok: false,
          retryable: code === 'EBUSY' || code === 'EAGAIN',
          error: `outbox: cannot write under ${root}: ${String(code ?? error)}`,
        };
      }
      return { ok: true, ref: files };
    },
  };
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, path);
}
