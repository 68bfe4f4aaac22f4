import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callVendor, HttpTransportError, httpRequest, joinUrl } from '../../../shared/adapters/http/request.js';
import { hashKey, vendorKey } from '../../../shared/adapters/http/vendor-key.js';

let server: Server | undefined;
afterEach(async () => {
  const current = server;
  server = undefined;
  if (!current) return;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('http wrapper', () => {
  it('does not follow redirects (credentials never travel to another host) and does not retry them', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://attacker.example/collect' }).end();
    });
    const { result } = await callVendor(
      { method: 'POST', url, json: {}, headers: { authorization: 'Basic c2VjcmV0' }, timeoutMs: 500 },
      { vendor: 'jira', ok: [201], secrets: [], now: Date.now },
    );
    expect(result).toEqual({ ok: false, retryable: false, status: 302, error: 'jira 302: unexpected redirect' });
  });

  it('reads at most 64 KiB of a response body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(500).end('x'.repeat(1_000_000));
    });
    const response = await httpRequest({ method: 'GET', url, timeoutMs: 2_000 });
    expect(response.text.length).toBe(64 * 1024);
  });

  it('turns a refused connection and a timeout into retryable transport errors', async () => {
    const url = await serve(() => undefined);
    await expect(httpRequest({ method: 'GET', url, timeoutMs: 50 })).rejects.toThrow(
      new HttpTransportError('timeout', 'timed out after 50 ms'),
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { result } = await callVendor(
      { method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 500 },
      { vendor: 'pagerduty', ok: [202], secrets: [], now: Date.now },
    );
    expect(result).toEqual({ ok: false, retryable: true, error: 'pagerduty: ECONNREFUSED' });
  });

  it('joins base URLs and paths with exactly one slash', () => {
    expect(joinUrl('https://x.atlassian.net/', '/rest/api/3/issue')).toBe('https://x.atlassian.net/rest/api/3/issue');
    expect(joinUrl('https://x.service-now.com', 'api/now/table/incident')).toBe(
      'https://x.service-now.com/api/now/table/incident',
    );
  });

  it('keeps an incident id as the vendor key when it fits, else a stable hash', () => {
    expect(vendorKey('inc-1', 255)).toBe('inc-1');
    const long = `acct:${'x'.repeat(300)}`;
    expect(vendorKey(long, 255)).toBe(vendorKey(long, 255));
    expect(vendorKey(long, 255)).toMatch(/^gw-[0-9a-f]{40}$/);
    expect(vendorKey('has space', 100)).toBe(hashKey('has space', 40));
  });
});
