import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Action } from '../../core/act/actions.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { toMarkdown } from '../../core/act/render/markdown.js';
import { toSns } from '../../core/act/render/sns.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { hashKey } from '../http/vendor-key.js';
import { aftermathFile } from './aftermath-files.js';

/**
 * The local responder when none is configured: `pages/<incident>.txt` (what an e-mail/SMS page would
 * say) and `tickets/<incident>.md` (the whole ticket, Markdown-escaped) under one folder. Each write
 * replaces the file with the incident's full current state, so writes are idempotent and a re-run
 * leaves the same files. Files are written to a temporary name and renamed: a reader never sees half.
 * The aftermath's schedules, review tasks, invites and rotation tasks are files too (aftermath-files.ts).
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
  // Folders this driver made: a replay writes ~350 files into six of them.
  const folders = new Set<string>();
  return {
    idempotent: true,
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      const stem = fileStem(action.incidentId);
      if (action.kind !== 'outbox.write') {
        const file = aftermathFile(action, root, stem);
        if (!file) return { ok: false, retryable: false, error: `outbox cannot ${action.kind}` };
        return write([[file.path, file.content]], { [file.name]: file.path });
      }
      const page = toSns(action.page);
      const files = {
        page: join(root, 'pages', `${stem}.txt`),
        ticket: join(root, 'tickets', `${stem}.md`),
      };
      return write(
        [
          [files.page, `Subject: ${page.subject}\n\n${page.message}\n`],
          [files.ticket, toMarkdown(action.ticket)],
        ],
        files,
      );
    },
  };

  async function write(files: [path: string, content: string][], ref: Record<string, string>): Promise<AttemptResult> {
    try {
      for (const [path, content] of files) await writeAtomically(path, content, folders);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // A full disk or a permission problem will not clear up by itself within a run.
      return {
        ok: false,
        retryable: code === 'EBUSY' || code === 'EAGAIN',
        error: `outbox: cannot write under ${root}: ${String(code ?? error)}`,
      };
    }
    return { ok: true, ref };
  }
}

/**
 * Writes to a temporary name, then renames; a folder is made once (again if it disappeared meanwhile).
 * Through the thread pool, not synchronously: a rename over an existing file makes ext4 start writing
 * the new one back in the caller's thread, which took a replay's main thread ~0.1 s more (~350 files).
 */
async function writeAtomically(path: string, content: string, folders: Set<string>): Promise<void> {
  const folder = dirname(path);
  const temporary = `${path}.${process.pid}.tmp`;
  if (!folders.has(folder)) {
    await mkdir(folder, { recursive: true });
    folders.add(folder);
  }
  try {
    await writeFile(temporary, content, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    await mkdir(folder, { recursive: true });
    await writeFile(temporary, content, 'utf8');
  }
  await rename(temporary, path);
}
