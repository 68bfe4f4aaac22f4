import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, text } from '../../../../shared/adapters/report/escape.js';
import { renderPostureHtml } from '../../../../shared/adapters/report/html.js';
import { REPORT_CSS, REPORT_JS } from '../../../../shared/adapters/report/styles.js';
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
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|action|xlink:href)=/i);
    const hash = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    expect(html).toContain(`script-src &#39;${hash(REPORT_JS)}&#39;`);
    expect(html).toContain(`style-src &#39;${hash(REPORT_CSS)}&#39;`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
    expect(html).toContain(`<script>${REPORT_JS}</script>`);
    expect(html).toContain('default-src &#39;none&#39;');
  });

  it('shows every account with its lights, the drill chart, the timeline and the heartbeats', () => {
    for (const id of ['aws-prod-root', 'gcp-super-admin', 'entra-emergency'])
      expect(html).toContain(`data-account="${id}"`);
    expect(html).toMatch(/<svg class="chart"[^>]*>/);
    // Two drills of three bars (d-2's late page too, marked failed) and the legend's three swatches.
    expect(html.match(/<rect class="bar-(incident|page|ticket)( failed)?" x=/g)?.length).toBe(3 + 3 + 3);
    expect(html.match(/<rect class="bar-[a-z]+ failed"/g)?.length).toBe(3);
    expect(html).toContain('class="drill-row"');
    expect(html).toContain('<td class="state-never">never</td>');
    expect(html).toContain('light light-bad');
  });
});
