package io.usagebackfill.report;

/** The report page's style sheet, inline in the page: the page fetches nothing. Constant. */
final class HtmlStyle {

    static final String CSS = """
            :root { --inserted: #2b6cb0; --there: #90cdf4; --repeated: #b794f4; --rejected: #e53e3e;
              --outside: #a0aec0; --gap: #fde4e4; --ink: #1a202c; --muted: #4a5568; --rule: #e2e8f0; }
            * { box-sizing: border-box; }
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
              color: var(--ink); max-width: 960px; margin: 0 auto; padding: 24px; }
            h1 { font-size: 1.6em; margin: 0 0 4px; }
            h2 { font-size: 1.15em; margin: 0 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
            section { margin: 28px 0; }
            h2 { break-after: avoid; page-break-after: avoid; }
            tr, svg.chart, .split, p { break-inside: avoid; page-break-inside: avoid; }
            .meta { color: var(--muted); margin: 2px 0; overflow-wrap: anywhere; }
            .status { font-size: 0.7em; vertical-align: middle; padding: 2px 8px; border-radius: 4px; color: #fff; }
            .status-ok { background: #2f855a; } .status-bad { background: #c53030; }
            .status-warn { background: #b7791f; } .status-quiet { background: #718096; }
            .banner { background: #fefcbf; padding: 6px 10px; border-radius: 4px; }
            table { border-collapse: collapse; }
            th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
            td { font-variant-numeric: tabular-nums; }
            table.figures td, table.days td, table.models td, table.reconciliation td { text-align: right; }
            table.models td:first-child, table.days td:first-child { text-align: left; }
            table.figures tr.part th { padding-left: 28px; font-weight: normal; }
            table.figures th { font-weight: normal; }
            .split { display: flex; height: 14px; border-radius: 3px; overflow: hidden; margin: 4px 0 12px;
              background: var(--rule); }
            .swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; border-radius: 2px;
              vertical-align: -1px; }
            .split .inserted, .swatch.inserted, .bar { background: var(--inserted); }
            .split .there, .swatch.there { background: var(--there); }
            .split .repeated, .swatch.repeated { background: var(--repeated); }
            .split .rejected, .swatch.rejected { background: var(--rejected); }
            .split .outside, .swatch.outside { background: var(--outside); }
            .swatch.gap { background: var(--gap); border: 1px solid #fc8181; }
            svg.chart { width: 100%; height: auto; display: block; }
            svg .inserted { fill: var(--inserted); } svg .there { fill: var(--there); }
            svg .gap { fill: var(--gap); } svg .grid { stroke: var(--rule); stroke-width: 1; }
            svg .tick { font-size: 11px; fill: var(--muted); }
            .legend { color: var(--muted); font-size: 0.9em; }
            .legend .swatch { margin-left: 12px; }
            .warn { color: #9c4221; } .bad { color: #c53030; } .ok { color: #276749; }
            tr.bad td { color: #c53030; font-weight: 600; }
            tr.empty td { color: #c53030; }
            .barcell { width: 40%; } .bar { display: block; height: 10px; border-radius: 2px; }
            .reason { max-width: 260px; }
            .where { color: var(--muted); font-size: 0.9em; overflow-wrap: anywhere; }
            pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7fafc; padding: 4px 6px;
              margin: 4px 0 0; font-size: 0.85em; }
            code { overflow-wrap: anywhere; }
            details summary { cursor: pointer; color: var(--muted); margin-top: 8px; }
            footer { color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--rule); padding-top: 8px; }
            @media print {
              body { font-size: 10.5pt; max-width: none; padding: 0; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              details { display: none; }
              section { margin: 14px 0; }
            }
            """;

    private HtmlStyle() {
    }
}
