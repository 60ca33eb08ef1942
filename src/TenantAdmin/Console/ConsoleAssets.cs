namespace RfpioGateway.TenantAdmin.Console;

/// <summary>The console's only stylesheet and script, served by the silo itself: no CDN, works offline.</summary>
internal static class ConsoleAssets
{
    public const string Css = """
        :root { --ink: #1b1f24; --muted: #4a5360; --line: #d0d7de; --accent: #0b57d0; --bad: #b3261e; --good: #146c2e; --bg: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--bg); }
        header .brand { font-weight: 700; margin: 0; }
        header nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; flex: 1; }
        header nav a[aria-current="page"] { font-weight: 700; color: var(--ink); text-decoration-thickness: 3px; }
        main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.2rem; margin: 0 0 .5rem; }
        .crumbs { color: var(--muted); font-size: .9rem; margin: 0; }
        section { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
        .row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
        .row > input[readonly] { flex: 1 1 18rem; min-width: 0; }
        label { font-weight: 600; }
        input, select, button { font: inherit; padding: .45rem .6rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; color: var(--ink); }
        input[readonly] { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--bg); }
        button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
        .status-on { color: var(--good); font-weight: 700; } .status-off { color: var(--bad); font-weight: 700; }
        .once { border: 2px solid var(--good); background: #eef8f0; border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
        .error { border: 2px solid var(--bad); background: #fdf0ef; border-radius: 8px; padding: .75rem 1rem; }
        .muted { color: var(--muted); }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: .5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
        .tiles li { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .75rem; }
        .tiles strong { display: block; font-size: 1.5rem; }
        .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin: 0 0 1rem; }
        .filters > div { display: flex; flex-direction: column; gap: .2rem; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
        pre { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; overflow-x: auto; }
        .bad { color: var(--bad); font-weight: 600; }
        #activity td:first-child { white-space: nowrap; }
        main:has(#activity) { max-width: 84rem; }
        #activity td.user { min-width: 9rem; overflow-wrap: anywhere; }
        #activity td.user code.query { font-size: .85em; }
        #activity td.client { min-width: 12rem; overflow-wrap: anywhere; }
        #activity td.trace { font-size: .8rem; word-break: break-all; }
        @media (min-width: 78rem) { #activity td.client { min-width: 16.5rem; } #activity td.trace { white-space: nowrap; } }
        .pager { display: flex; gap: 1rem; margin: 1rem 0; }
        details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
        @media (max-width: 40rem) { body { font-size: 15px; } main { padding: .75rem; } th, td { padding: .35rem; } }
        """;

    public const string Js = """
        "use strict";
        // Copy buttons: data-copy names the input whose value is copied.
        document.addEventListener("click", async (event) => {
          const button = event.target.closest("button[data-copy]");
          if (!button) return;
          const input = document.getElementById(button.dataset.copy);
          input.select();
          try { await navigator.clipboard.writeText(input.value); } catch { document.execCommand("copy"); }
          const status = document.getElementById(button.dataset.copy + "-status");
          if (status) status.textContent = "Copied.";
        });
        // Forms with data-confirm ask first (generating a token revokes the current one).
        document.addEventListener("submit", (event) => {
          const message = event.target.dataset.confirm;
          if (message && !window.confirm(message)) event.preventDefault();
        });
        """;
}
