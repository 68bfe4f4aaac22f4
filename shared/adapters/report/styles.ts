/**
 * The report's stylesheet: inline, no fonts or images from anywhere (the page works offline and under a
 * strict CSP). Long identifiers (ARNs, incident ids) wrap anywhere; below 700 px every table row becomes
 * a card whose cells carry their column name, so nothing overflows a phone's width; print is A4.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --unknown: #6e7781; --ink: #1f2328; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 20px; overflow-wrap: break-word; }
td, code, small { overflow-wrap: anywhere; }
time, td.sev, .status { white-space: nowrap; overflow-wrap: normal; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
h3 .score { float: right; font-size: 15px; }
.meta { color: #57606a; margin: 0 0 10px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: var(--soft); min-width: 0; }
.tile strong { display: block; font-size: 22px; }
.tile span { display: block; color: #57606a; font-size: 12px; }
.tile.bad strong { color: var(--bad); } .tile.warn strong { color: var(--warn); } .tile.ok strong { color: var(--ok); }
table.controls { table-layout: fixed; } table.controls th:first-child { width: 32%; } table.controls th:nth-child(2) { width: 96px; }
.account { border: 1px solid var(--line); border-radius: 8px; padding: 4px 12px 8px; margin: 10px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; table-layout: auto; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; min-width: 0; }
th { font-weight: 600; background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
a { color: #0969da; }
.status { display: inline-block; min-width: 58px; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; text-align: center; }
.st-pass { background: var(--ok); } .st-fail { background: var(--bad); } .st-unknown { background: var(--unknown); } .st-na { background: #afb8c1; }
.wf-ok { color: var(--ok); } .wf-bad { color: var(--bad); } .wf-na { color: var(--unknown); }
.wf { list-style: none; margin: 0; padding: 0; font-size: 13px; }
.wf .k { color: #57606a; display: inline-block; min-width: 92px; }
.sev-critical, .status-failed, .state-silent, .state-never { color: var(--bad); font-weight: 600; }
.sev-high { color: #bc4c00; font-weight: 600; } .sev-medium { color: var(--warn); } .sev-low, .state-ok, .status-passed { color: var(--ok); }
.status-skipped, .status-replayed, tr.replayed td { color: var(--unknown); }
tr.state-row-never td, tr.state-row-silent td { background: #ffebe9; }
.alert { border: 1px solid var(--bad); background: #ffebe9; color: var(--bad); border-radius: 6px; padding: 8px 10px; }
.drill-tag { font-size: 11px; border: 1px solid var(--warn); color: var(--warn); border-radius: 8px; padding: 0 6px; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 10px; }
.trend-figure { margin: 0; min-width: 0; } .trend-figure figcaption { margin: 4px 0; }
.chart { display: block; width: 100%; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.chart .grid { stroke: #eaeef2; } .chart .axis { font-size: 11px; fill: #57606a; } .chart .small { font-size: 10px; }
.chart .line { fill: none; stroke-width: 2; } .chart .bound { stroke-dasharray: 5 4; stroke-width: 1.5; fill: none; }
.chart .dot.failed { stroke: var(--bad); stroke-width: 2.5; }
.s-incident { stroke: #0969da; fill: #0969da; } .s-page { stroke: #8250df; fill: #8250df; } .s-ticket { stroke: #1a7f37; fill: #1a7f37; }
.chart .line.s-incident, .chart .line.s-page, .chart .line.s-ticket, .chart .bound { fill: none; }
.chart .key { stroke: none; } .chart .key.s-bound { fill: none; stroke: #57606a; stroke-dasharray: 3 2; }
.sev-fill-critical { fill: #cf222e; } .sev-fill-high { fill: #fb8f44; } .sev-fill-medium { fill: #d4a72c; } .sev-fill-low { fill: #54aeff; }
.kind-fill-0 { fill: #0969da; } .kind-fill-1 { fill: #54aeff; } .kind-fill-2 { fill: #cf222e; } .kind-fill-3 { fill: #8250df; } .kind-fill-4 { fill: #fb8f44; } .kind-fill-5 { fill: #1f2328; }
.kind-fill-6 { fill: #bf3989; } .kind-fill-7 { fill: #1a7f37; } .kind-fill-8 { fill: #9a6700; } .kind-fill-9 { fill: #6e7781; } .kind-fill-10 { fill: #0550ae; } .kind-fill-11 { fill: #fa4549; }
.filter { margin: 8px 0 4px; color: #57606a; }
.hidden { display: none; }
@media (max-width: 700px) {
  body { padding: 12px; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 4px 0; }
  td { border: 0; padding: 3px 8px; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: 11px; color: #57606a; font-weight: 600; }
  td.num { text-align: left; white-space: normal; }
  h3 .score { float: none; display: block; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .filter { display: none; }
  .account, tr, .chart, .tile { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; }
}
`;

/**
 * The one script: a "hide drills" switch for the incident table. Everything renders without it.
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
