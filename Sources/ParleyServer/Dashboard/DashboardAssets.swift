/// The dashboard's only style sheet and script, inlined into every page (nothing is fetched from elsewhere).
enum DashboardAssets {
    static let css = """
        :root { --ink:#1d2330; --muted:#5d6679; --line:#d9dee8; --bg:#f5f7fb; --card:#fff; --accent:#2f5bd3; --left:#2f7d5b; --right:#8a4fd0;
          --warn:#b5580c; --bad:#b3261e; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); font-size: 14px; line-height: 1.45; }
        header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #141a26; color: #fff; position: sticky; top: 0; z-index: 2; }
        header.top a { color: #dfe6ff; text-decoration: none; margin-right: 14px; }
        header.top .brand { font-weight: 700; font-size: 18px; color: #fff; }
        header.top .actions { margin-left: auto; display: flex; gap: 8px; }
        main { padding: 20px 24px 60px; max-width: 1280px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 8px 0 16px; } h2 { font-size: 17px; margin: 28px 0 10px; }
        section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 18px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code { background: #eef1f7; padding: 1px 5px; border-radius: 4px; font-size: 13px; }
        .empty { color: var(--muted); font-style: italic; }
        .muted { color: var(--muted); }
        .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eef1f7; }
        .pill.ok { background: #e3f4ea; color: #1d6b43; } .pill.warn { background: #fdf0e2; color: var(--warn); } .pill.bad { background: #fbe5e3; color: var(--bad); }
        .systems { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
        .system { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--card); }
        .system h3 { margin: 0 0 4px; font-size: 15px; }
        button { font: inherit; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
        button.secondary { background: transparent; color: inherit; border-color: #8792a8; }
        header.top button.secondary { color: #fff; }
        button:disabled { opacity: .5; cursor: progress; }
        input[type=text], input[type=password], select { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; }
        form.inline { display: inline-flex; gap: 6px; align-items: center; margin: 0; }
        .notice { margin: 12px 24px 0; padding: 10px 14px; border-radius: 6px; background: #e8effd; border: 1px solid #b9c9f3; white-space: pre-wrap; }
        .notice.bad { background: #fbe5e3; border-color: #efb5ae; }
        .diagram svg { width: 100%; height: auto; max-width: 1000px; display: block; margin: 0 auto; }
        .timeline { list-style: none; padding: 0; margin: 0; }
        .timeline li { border-left: 3px solid var(--line); padding: 6px 0 10px 14px; margin-left: 6px; }
        .timeline li.updated { border-color: var(--accent); } .timeline li.created, .timeline li.linked { border-color: var(--left); }
        .timeline li.quarantined, .timeline li.archived, .timeline li.deleted { border-color: var(--bad); }
        .changes { width: auto; margin-top: 4px; } .changes td { border: none; padding: 2px 10px 2px 0; }
        .resolve { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
        .login { max-width: 420px; margin: 80px auto; }
        pre.plan { background: #0f1420; color: #dfe6ff; padding: 12px; border-radius: 6px; overflow: auto; max-height: 420px; }
        """

    /// Buttons carry `data-action` (and `data-url` / `data-body`); writes send the dashboard header so a
    /// session cookie alone (e.g. from a cross-site form) can never trigger them.
    static let script = """
        (function () {
          const notice = document.getElementById('notice');
          function show(text, bad) { notice.textContent = text; notice.className = bad ? 'notice bad' : 'notice'; notice.hidden = false; }
          async function post(url, body) {
            const response = await fetch(url, { method: 'POST', credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'X-Parley-Dashboard': '1' }, body: JSON.stringify(body || {}) });
            let json = {};
            try { json = await response.json(); } catch (e) {}
            if (!response.ok) { throw new Error((json.error && json.error.message) || ('HTTP ' + response.status)); }
            return json;
          }
          function describe(report) {
            const lines = [];
            for (const flow of (report.flows || [])) {
              lines.push(flow.flow + ': read ' + (flow.read.left + flow.read.right) + ', linked ' + flow.linked + ', writes ' + flow.writes +
                ', conflicts ' + flow.conflicts + ', parked ' + flow.parked + ', quarantined ' + flow.quarantined);
              for (const entry of (flow.plan || [])) { lines.push('  ' + entry.action + ' ' + entry.side + ' ' + entry.id + ': ' + entry.detail); }
            }
            for (const error of (report.errors || [])) { lines.push('error: ' + error); }
            return lines.join('\\n');
          }
          document.addEventListener('click', async function (event) {
            const button = event.target.closest('button[data-action]');
            if (!button) { return; }
            event.preventDefault();
            const action = button.dataset.action;
            if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
            let url = button.dataset.url, body = button.dataset.body ? JSON.parse(button.dataset.body) : {};
            if (action === 'sync') { url = '/api/sync'; }
            if (action === 'plan') { url = '/api/plan'; }
            if (action === 'custom') {
              const input = document.getElementById(button.dataset.input);
              body = { choice: 'custom', value: input ? input.value : '' };
            }
            button.disabled = true;
            try {
              const result = await post(url, body);
              if (action === 'plan') { show('Dry run (nothing was written):\\n' + describe(result.report)); button.disabled = false; return; }
              show(result.report ? describe(result.report) : 'Done.');
              setTimeout(function () { location.reload(); }, 700);
            } catch (error) {
              show(error.message, true);
              button.disabled = false;
            }
          });
        })();
        """
}
