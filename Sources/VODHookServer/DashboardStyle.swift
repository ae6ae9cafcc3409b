/// `/dashboard.css`: the pages' one stylesheet, small enough to keep beside the templates.
enum DashboardStyle {
    static let css = """
        :root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --accent: #2f6fdb;
          --good: #1a7f4b; --bad: #c0392b; --warn: #b7791f; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        body > header { display: flex; align-items: center; gap: 2rem; padding: .7rem 1.5rem; background: #1d2330; }
        body > header a { color: #e8ecf3; text-decoration: none; }
        .brand { font-weight: 700; font-size: 1.1rem; letter-spacing: .02em; }
        nav a { margin-right: 1.2rem; opacity: .85; }
        nav a:hover { opacity: 1; text-decoration: underline; }
        main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
        h1 { font-size: 1.4rem; margin: .6rem 0 1rem; }
        h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
        a { color: var(--accent); }
        code, .seq, time, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 1rem; }
        .card { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: .8rem 1rem; display: flex; flex-direction: column; }
        .card.good { border-left-color: var(--good); } .card.bad { border-left-color: var(--bad); } .card.warn { border-left-color: var(--warn); }
        .card .label { color: var(--muted); font-size: .85rem; }
        .card .value { font-size: 1.8rem; font-weight: 650; }
        .card .note { color: var(--muted); font-size: .82rem; }
        figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; }
        figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
        .chart { width: 100%; height: auto; display: block; }
        .chart .grid { stroke: var(--line); } .chart .tick { stroke: #d0d5dd; stroke-dasharray: 2 3; }
        .chart .axis { fill: var(--muted); font-size: 11px; }
        .chart .accepted, .key.accepted { fill: var(--accent); background: var(--accent); }
        .chart .refused, .key.refused { fill: var(--bad); background: var(--bad); }
        .key { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-left: .6rem; }
        table { border-collapse: collapse; background: #fff; width: 100%; border: 1px solid var(--line); border-radius: 6px; }
        th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #fafbfc; color: var(--muted); font-weight: 600; font-size: .85rem; }
        table.states td { font-size: 1.3rem; font-weight: 600; }
        table.states a { text-decoration: none; }
        td.empty { color: var(--muted); text-align: center; }
        .state, .verdict { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .82rem; background: #eef1f6; }
        .state-success, .verdict-pass { background: #dcf3e6; color: var(--good); }
        .state-fail, .state-given_up, .state-refused, .verdict-block { background: #fbe3e0; color: var(--bad); }
        .state-pending, .state-unknown, .verdict-review { background: #fdf1d8; color: var(--warn); }
        .filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; margin-bottom: .8rem; }
        .filters input, .filters select, .filters button { font: inherit; padding: .25rem .45rem; }
        .count, .summary, .muted { color: var(--muted); }
        .warning { color: var(--bad); }
        .line { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; margin-bottom: .7rem; }
        .line.kind-submitted { border-left: 4px solid var(--accent); } .line.kind-event { border-left: 4px solid var(--good); }
        .line.kind-given_up { border-left: 4px solid var(--bad); }
        .line table { margin-top: .5rem; }
        .handlers { margin: .4rem 0 0; padding-left: 1.2rem; }
        .handler-dead { color: var(--bad); } .handler-failed { color: var(--warn); }
        pre.raw { white-space: pre-wrap; word-break: break-all; background: #fafbfc; padding: .5rem; border-radius: 4px; }
        footer { color: var(--muted); font-size: .8rem; text-align: center; padding: 1rem; }

        """
}
