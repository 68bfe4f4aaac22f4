/** The report's stylesheet: inline, no fonts or images from anywhere (the page works offline and under a strict CSP). */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --unknown: #6e7781; --ink: #1f2328; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--unknown); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.light { display: inline-block; min-width: 64px; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; text-align: center; }
.light-ok { background: var(--ok); } .light-warn { background: var(--warn); } .light-bad { background: var(--bad); } .light-unknown { background: var(--unknown); }
.sev-critical, .status-failed, .state-silent, .state-never { color: var(--bad); font-weight: 600; }
.sev-high { color: #bc4c00; font-weight: 600; } .sev-medium { color: var(--warn); } .sev-low, .state-ok, .status-passed { color: var(--ok); }
.status-skipped { color: var(--unknown); }
.drill-tag { font-size: 11px; border: 1px solid var(--warn); color: var(--warn); border-radius: 8px; padding: 0 6px; margin-left: 4px; }
.violations { margin: 4px 0 0; padding-left: 18px; color: var(--bad); }
.chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.chart .grid { stroke: #eaeef2; } .chart .axis { font-size: 11px; fill: #57606a; } .chart .small { font-size: 10px; } .chart .empty { font-size: 14px; fill: var(--unknown); }
.bar-incident { fill: #54aeff; } .bar-page { fill: #8250df; } .bar-ticket { fill: #2da44e; } .chart .failed { stroke: var(--bad); stroke-width: 2; }
.filter { margin: 4px 0; color: #57606a; }
.hidden { display: none; }
`;

/**
 * The one script: a "hide drills" switch for the incident timeline. Everything renders without it.
 */
export const REPORT_JS = `
(() => {
  const box = document.getElementById('hide-drills');
  if (!box) return;
  box.addEventListener('change', () => {
    for (const row of document.querySelectorAll('tr.drill-row')) row.classList.toggle('hidden', box.checked);
  });
})();
`;
