/// The page's style sheet: light and dark by `prefers-color-scheme`, a print layout, and the
/// states the script sets (`hl-on`, `hl`, hidden runs).
enum PageStyle {
    static let css = """
    :root{--bg:#fff;--fg:#1b1b1b;--muted:#666;--line:#d6d6d6;--panel:#f6f6f6;--accent:#332288;color-scheme:light dark}
    @media (prefers-color-scheme:dark){:root{--bg:#151515;--fg:#e6e6e6;--muted:#9a9a9a;--line:#3a3a3a;--panel:#1f1f1f;--accent:#88CCEE}}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1400px;padding:16px 24px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
    h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}h3{font-size:1em;margin:0}
    .meta{color:var(--muted)}.note{color:var(--muted);font-size:.85em}
    .notes{background:var(--panel);padding:4px 16px;border-radius:6px;max-height:40em;overflow:auto}
    .notes pre{white-space:pre-wrap}
    .controls{display:flex;flex-wrap:wrap;gap:18px;align-items:center;margin:8px 0;position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:2}
    .legend{display:flex;flex-wrap:wrap;gap:4px 10px;max-height:9em;overflow:auto;margin:6px 0;padding:4px;border:1px solid var(--line);border-radius:6px}
    .legend button{font:inherit;font-size:.85em;background:none;color:var(--fg);border:0;padding:1px 4px;cursor:pointer;border-radius:4px}
    .legend button[aria-pressed=false]{opacity:.4;text-decoration:line-through}
    .legend button.hl{background:var(--panel)}
    .swatch{display:inline-block;width:18px;height:0;border-top:3px solid;vertical-align:middle;margin-right:5px}
    .swatch.dashed{border-top-style:dashed}
    .tip .swatch{height:10px;width:10px;border:0;margin-right:6px}
    .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:18px}
    section.chart{border:1px solid var(--line);border-radius:6px;padding:8px;break-inside:avoid}
    .chart-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
    svg{display:block;width:100%;height:auto;overflow:visible}
    svg[data-pc]{max-width:900px}
    svg[hidden]{display:none}
    .frame{fill:none;stroke:var(--line)}.grid{stroke:var(--line);stroke-width:.5}
    .tick{fill:var(--muted);font-size:10px}.tick.x{text-anchor:middle}.tick.y{text-anchor:end}
    path.ln{fill:none;stroke-width:1.4;stroke-linejoin:round;stroke-linecap:round}
    path.rawline{fill:none;stroke-width:1;opacity:.25;pointer-events:none}
    body.hl-on path.ln:not(.hl){opacity:.12}
    path.ln.hl{stroke-width:2.6}
    .cursor{stroke:var(--muted);stroke-dasharray:2 2;pointer-events:none}
    .band{fill:var(--accent);opacity:.15;pointer-events:none}
    .tip{position:absolute;z-index:5;background:var(--panel);color:var(--fg);border:1px solid var(--line);border-radius:6px;padding:6px 8px;font:12px/1.4 ui-monospace,monospace;pointer-events:none;max-width:520px;box-shadow:0 2px 8px rgba(0,0,0,.2)}
    .tip-head{font-weight:600;margin-bottom:2px}
    .table-wrap{overflow:auto;max-height:70vh;border:1px solid var(--line);border-radius:6px}
    table{border-collapse:collapse;font-size:.85em}
    th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;vertical-align:top}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    thead th{position:sticky;top:0;background:var(--panel)}
    th button{font:inherit;font-weight:600;background:none;border:0;color:var(--fg);cursor:pointer;padding:0}
    tr.hl td{background:var(--panel)}
    .status-failed,.status-crashed,.status-interrupted,.status-damaged{color:#CC6677}
    .status-running{color:#117733}
    details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
    details pre{background:var(--panel);padding:8px;overflow:auto;max-height:30em;white-space:pre-wrap;word-break:break-all}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dt{color:var(--muted)}dd{margin:0;word-break:break-all}
    .pc-line{fill:none;stroke-width:1.2;opacity:.8}.pc-axis{stroke:var(--muted)}.pc-label{fill:var(--fg);font-size:11px;text-anchor:middle}
    .site td a{color:var(--accent)}
    .table-wrap,details,section.chart,svg[data-pc]{content-visibility:auto;contain-intrinsic-size:auto 400px}
    @media print{.table-wrap,details,section.chart,svg[data-pc]{content-visibility:visible}
    .controls,.legend,.tip,input,select{display:none!important}body{max-width:none;padding:0;font-size:11px}
    .charts{grid-template-columns:1fr 1fr}details{break-inside:avoid}.table-wrap{max-height:none;overflow:visible}details:not([open]){display:none}}
    """
}
