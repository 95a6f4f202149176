/** The explorer page's stylesheet (inline, with the page's nonce: the page loads nothing else). */
export const PAGE_STYLES = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6576; --line: #d9dee7; --accent: #ff6a00; --panel: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); display: grid; grid-template-columns: 220px 1fr; min-height: 100vh; }
header { grid-column: 1 / -1; padding: 14px 24px; border-bottom: 3px solid var(--accent); display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: end; }
header h1 { margin: 0; font-size: 20px; }
header .api { color: var(--muted); margin: 0; }
#credentials { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin-left: auto; }
#credentials .note { flex-basis: 100%; margin: 0; color: var(--muted); font-size: 12px; text-align: right; }
#no-webcrypto { flex-basis: 100%; margin: 0; color: #b3261e; }
nav { border-right: 1px solid var(--line); padding: 16px; background: var(--panel); }
nav ul { list-style: none; margin: 0; padding: 0; position: sticky; top: 16px; }
nav a { color: var(--ink); text-decoration: none; display: block; padding: 3px 6px; border-radius: 4px; }
nav a:hover { background: #e8ecf3; }
main { padding: 0 24px 48px; min-width: 0; }
section.action { border-bottom: 1px solid var(--line); padding-bottom: 24px; }
h2 { margin: 24px 0 4px; font-size: 18px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
h4 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); }
.traits, .hint, .empty { color: var(--muted); }
.hint { font-size: 12px; }
.required { color: #b3261e; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
code, pre, input, textarea, select { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 8px; overflow: auto; white-space: pre-wrap; word-break: break-all; margin: 0; }
form.try { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; display: grid; gap: 8px; }
form.try .common, form.try .params { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 16px; }
label { display: flex; flex-direction: column; gap: 2px; }
#credentials label { flex-direction: row; align-items: center; gap: 6px; }
input, textarea, select { border: 1px solid #b8c0cc; border-radius: 4px; padding: 4px 6px; background: #fff; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 6px 14px; font-weight: 600; cursor: pointer; }
button[value="sign"] { background: #fff; color: var(--ink); border: 1px solid #b8c0cc; }
.result { margin-top: 12px; }
.result .outcome { font-weight: 600; margin: 0 0 4px; }
.result[data-status^="2"] .status { color: #1e7d32; }
.result[data-status^="4"] .status, .result[data-status^="5"] .status, .result[data-status="error"] .status { color: #b3261e; }
.result .code { font-family: ui-monospace, monospace; }
`;
