import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, text } from '../../../../shared/adapters/report/escape.js';
import { renderPostureHtml } from '../../../../shared/adapters/report/html.js';
import { REPORT_CSS, REPORT_JS } from '../../../../shared/adapters/report/styles.js';
import { textWidth } from '../../../../shared/adapters/report/svg.js';
import { DETECTION_KINDS } from '../../../../shared/core/model/finding.js';
import { HOSTILE, hostileReport } from './fixture.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror="alert(1)">', '&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'],
    ["' onmouseover='x", '&#39; onmouseover=&#39;x'],
    ['a & b &amp;', 'a &amp; b &amp;amp;'],
    ['`x`', '&#96;x&#96;'],
    ['plain text', 'plain text'],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('makes log text inert and bounded before escaping', () => {
    expect(text(HOSTILE.bidi)).toBe('roottxt.exe');
    expect(text(HOSTILE.link)).toBe('javascript:alert(1) https[:]//evil.example/x');
    expect(text('x'.repeat(1000), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('renderPostureHtml', () => {
  const html = renderPostureHtml(hostileReport());

  it('renders hostile strings as text only: no element, attribute or style of theirs', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/onerror="|onmouseover='/);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;/style&gt;&lt;style&gt;');
    expect(html).not.toContain('\u202E');
  });

  it('is self-contained: no URL to load, a CSP that admits only its own style and script', () => {
    // The one URL is a ticket link built from the configured Jira site and the key Jira returned.
    expect(html.match(/https?:\/\/[^"<\s]*/g)).toEqual(['https://example.atlassian.net/browse/SEC-12']);
    expect(html.match(/<[a-z][^>]*\s(src|href|action|xlink:href)=[^>]*>/gi)).toEqual([
      '<a href="https://example.atlassian.net/browse/SEC-12" rel="noreferrer noopener">',
    ]);
    const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    expect(html).toContain(`script-src &#39;${hash(REPORT_JS)}&#39;`);
    expect(html).toContain(`style-src &#39;${hash(REPORT_CSS)}&#39;`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
    expect(html).toContain(`<script>${REPORT_JS}</script>`);
    expect(html).toContain('default-src &#39;none&#39;');
  });

  it('shows every account with its controls, the charts, the incidents, coverage and drills', () => {
    for (const id of ['aws-prod-root', 'gcp-super-admin', 'entra-emergency'])
      expect(html).toContain(`<section class="account" data-account="${id}">`);
    expect(html.match(/<tr class="control-/g)).toHaveLength(15);
    expect(html).toContain('logs from <time datetime="2025-10-01T00:00:00.000Z">');
    expect(html.match(/<svg class="chart trend"/g)).toHaveLength(2);
    // One drill trend (the only account with live drills), two drills of three series each.
    expect(html.match(/<svg class="chart drill-trend"/g)).toHaveLength(1);
    expect(html.match(/<circle class="dot s-(incident|page|ticket)( failed)?"/g)).toHaveLength(6);
    expect(html.match(/<circle class="dot s-[a-z]+ failed"/g)).toHaveLength(3);
    expect(html.match(/<line class="bound /g)).toHaveLength(3);
    expect(html).toContain('class="drill-row"');
    expect(html).toContain('<tr class="replayed">');
    expect(html).not.toMatch(/3663 d \d+ h<\/td>/);
    expect(html).toContain('<td data-label="State" class="state-never">never</td>');
    expect(html).toContain('<p class="alert" id="silent">1 source(s) silent or never heard');
    expect(html).toContain('<span class="status st-fail">fail</span>');
  });

  it('says where each credential lives and its last opening: store, reader (as text), approval path, rotation after it', () => {
    const section = html.slice(
      html.indexOf('<section id="credentials">'),
      html.indexOf('</section>', html.indexOf('<section id="credentials">')),
    );
    expect(section.match(/<tr data-account=/g)).toHaveLength(1);
    expect(section).toContain('<tr data-account="aws-prod-root">');
    expect(section).toContain(
      '<li><code>AWS Secrets Manager prod/breakglass/root</code></li><li><code>AWS Systems Manager Parameter Store breakglass/root</code></li>',
    );
    expect(section).toContain('<li><code>arn:aws:iam::111122223333:role/BreakGlassCustodian</code></li>');
    expect(section).toContain(
      '<td data-label="Last opening"><time datetime="2026-02-19T09:00:00.000Z">2026-02-19 09:00</time><br><small>AWS Secrets Manager prod/breakglass/root</small></td>',
    );
    expect(section).toContain(
      '<td data-label="Read by"><code>&lt;script&gt;window.__pwned = 1&lt;/script&gt; roottxt.exe</code></td>',
    );
    expect(section).toContain('<span class="wf-bad">outside the approval path</span>');
    // The root password changes after it (the last on the 25th) answer the opening of the 19th.
    expect(section).toContain('<span class="wf-ok">rotated</span> <time datetime="2026-02-25T10:00:00.000Z">');
  });

  it('gives every element id once', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('colours every detection kind and severity of the trend charts', () => {
    for (const n of DETECTION_KINDS.keys()) expect(REPORT_CSS).toContain(`.kind-fill-${n} { fill:`);
    for (const s of ['critical', 'high', 'medium', 'low']) expect(REPORT_CSS).toContain(`.sev-fill-${s} { fill:`);
  });

  it('keeps every chart label inside its viewBox (upper-bound text widths)', () => {
    const svgs = html.match(/<svg class="chart[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(0);
    for (const svg of svgs) {
      const [, w, h] = svg.match(/viewBox="0 0 (\d+) (\d+)"/) ?? [];
      for (const [, x, y, anchor, content] of svg.matchAll(
        /<text class="[^"]*" x="([\d.-]+)" y="([\d.-]+)"(?: text-anchor="(\w+)")?>([^<]*)<\/text>/g,
      )) {
        const width = textWidth((content ?? '').replace(/&[a-z#0-9]+;/g, '_'), 11);
        const left = anchor === 'end' ? Number(x) - width : anchor === 'middle' ? Number(x) - width / 2 : Number(x);
        expect(left, `${content} in ${svg.slice(0, 60)}`).toBeGreaterThanOrEqual(0);
        expect(left + width, `${content}`).toBeLessThanOrEqual(Number(w));
        expect(Number(y) + 3, `${content} below the viewBox`).toBeLessThanOrEqual(Number(h));
        expect(Number(y)).toBeGreaterThanOrEqual(8);
      }
    }
  });
});
