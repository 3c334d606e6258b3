// HTML of the read-only inspection pages (an explained decision, the audit log). No script runs in them:
// every piece of text is escaped here, hidden characters become visible `U+…` marks, and the only links are
// command links to the few commands the panel allows. Filtering the log is CSS over radio buttons.
import type { Codicon } from '../shared/codicons';
import type { AuditEntries, AuditEntry, AuditRecordEntry } from '../core/audit/auditEntries';
import type { AuditReportText } from '../core/audit/auditReport';
import { formatTime } from '../core/audit/auditReport';
import type { Verdict } from '../core/policy/decision';
import type { Explanation, ExplanationRow, SettingLink } from '../core/policy/explain';
import { visibleSegments } from '../core/policy/visibleText';

/** The commands an inspection page may link to (its webview allows exactly these). */
export const PAGE_COMMANDS = {
  openSetting: 'warden.inspect.openSetting',
  openRawAuditLog: 'warden.inspect.openRawAuditLog',
  manageTrust: 'workbench.trust.manage',
} as const;

export interface PageFrame {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Stylesheet URIs (codicons, the page's own). */
  stylesheets: readonly string[];
}

export interface ExplanationSection {
  /** e.g. "Read" and "Write" when a path is checked for both. */
  heading?: string;
  explanation: Explanation;
  /** The decision as the policy returned it (what policy-cli prints). */
  raw: unknown;
}

export interface AuditLogView {
  file: string;
  /** undefined: there is no audit file yet. */
  log?: { chain: AuditReportText & { ok: boolean }; entries: AuditEntries };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Untrusted text (commands, paths, stored records): escaped, with hidden characters shown as marks. */
export function visible(text: string, options: { keepNewlines?: boolean } = {}): string {
  return visibleSegments(text, options)
    .map((segment) =>
      segment.kind === 'text'
        ? escapeHtml(segment.text)
        : `<span class="hidden-char" title="${escapeHtml(segment.name ?? 'hidden character')}">` +
          `${escapeHtml(segment.label)}</span>`,
    )
    .join('');
}

/** Text that uses `code` spans, as the policy's reasons do: the code parts are set in code. */
function withCode(text: string): string {
  return text
    .split(/(`[^`\n]*`)/)
    .map((piece, i) => (i % 2 === 1 ? `<code>${visible(piece.slice(1, -1))}</code>` : visible(piece)))
    .join('');
}

function commandLink(command: string, args: unknown[], label: string): string {
  const query = args.length > 0 ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `<a href="command:${command}${query}">${escapeHtml(label)}</a>`;
}

function settingLinks(link: SettingLink): string {
  const where = link.scope === 'user' ? 'your user settings' : 'workspace settings';
  return (
    commandLink(PAGE_COMMANDS.openSetting, [link], `Open ${link.key} in ${where}`) +
    ' · ' +
    commandLink(PAGE_COMMANDS.openSetting, [{ ...link, json: true }], 'settings.json')
  );
}

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = { allow: 'Allowed', ask: 'Asks', deny: 'Denied' };
const VERDICT_ICONS: Readonly<Record<Verdict, Codicon>> = { allow: 'pass', ask: 'question', deny: 'error' };

function badge(verdict: Verdict | undefined): string {
  if (verdict === undefined) return '<span class="badge v-other">Unknown</span>';
  return (
    `<span class="badge v-${verdict}"><span class="codicon codicon-${VERDICT_ICONS[verdict]}" aria-hidden="true">` +
    `</span>${VERDICT_WORDS[verdict]}</span>`
  );
}

/** The icon before a headline whose words already say the verdict ("Refused", "Asks you first"). */
function verdictIcon(verdict: Verdict): string {
  return `<span class="codicon codicon-${VERDICT_ICONS[verdict]} verdict-icon v-${verdict}" aria-hidden="true"></span>`;
}

function page(frame: PageFrame, title: string, body: string): string {
  const csp = ["default-src 'none'", `style-src ${frame.cspSource}`, `font-src ${frame.cspSource}`].join('; ');
  const links = frame.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeHtml(title)}</title>
</head>
<body>
<main aria-labelledby="page-title">
<h1 id="page-title">${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function rowHtml(row: ExplanationRow): string {
  return `<tr class="v-${row.verdict}${row.decisive ? ' decisive' : ''}">
<th scope="row"><code class="subject">${visible(row.subject, { keepNewlines: true })}</code>${
    row.decisive ? '<span class="decides">decides</span>' : ''
  }</th>
<td>${badge(row.verdict)}</td>
<td><code class="rule">${visible(row.rule)}</code><div class="muted">${escapeHtml(row.source)}</div></td>
<td>${withCode(row.reason)}</td>
<td>${withCode(row.from)}<div class="change">${withCode(row.change)}</div>${
    row.link ? `<div class="links">${settingLinks(row.link)}</div>` : ''
  }</td>
</tr>`;
}

function sectionHtml(section: ExplanationSection, index: number): string {
  const e = section.explanation;
  const id = `answer-${index}`;
  const heading = section.heading ? `<h2 id="${id}">${escapeHtml(section.heading)}</h2>` : '';
  const notes =
    e.notes.length > 0 ? `<ul class="notes">${e.notes.map((note) => `<li>${withCode(note)}</li>`).join('')}</ul>` : '';
  const facts = e.facts
    .map(
      (fact) =>
        `<dt>${escapeHtml(fact.label)}</dt><dd>${visible(fact.value)}${
          fact.link ? ` <span class="links">${settingLinks(fact.link)}</span>` : ''
        }</dd>`,
    )
    .join('');
  const subjectLabel = e.kind === 'command' ? 'Command' : e.kind === 'path' ? `Path (${e.op ?? ''})` : 'About';
  const subjectColumn = e.kind === 'command' ? 'Part' : e.kind === 'path' ? 'Path' : 'About';
  const subject =
    e.subject === ''
      ? ''
      : `<div class="subject-block"><span class="label">${escapeHtml(subjectLabel)}</span>
<pre><code>${visible(e.subject, { keepNewlines: true })}</code></pre></div>`;
  return `<section class="answer v-${e.verdict}" ${section.heading ? `aria-labelledby="${id}"` : 'aria-label="Answer"'}>
${heading}
<p class="headline">${verdictIcon(e.verdict)} <strong>${escapeHtml(e.headline)}</strong></p>
${subject}
<p class="summary">${withCode(e.summary)}</p>
${notes}
<table class="parts">
<caption>${e.kind === 'command' ? 'Every part of the command, judged on its own' : 'The rule that decided'}</caption>
<thead><tr><th scope="col">${subjectColumn}</th><th scope="col">Decision</th><th scope="col">Rule</th>
<th scope="col">Reason</th><th scope="col">Where it comes from</th></tr></thead>
<tbody>
${e.rows.map(rowHtml).join('\n')}
</tbody>
</table>
<dl class="facts">${facts}</dl>
<details><summary>The decision as the agent gets it (JSON, as policy-cli prints it)</summary>
<pre><code>${visible(JSON.stringify(section.raw, null, 2), { keepNewlines: true })}</code></pre>
</details>
</section>`;
}

export function explanationPage(frame: PageFrame, title: string, sections: readonly ExplanationSection[]): string {
  const untrusted = sections.some((s) => s.explanation.notes.some((note) => note.includes('not trusted')));
  const trust = untrusted
    ? `<p class="links">${commandLink(PAGE_COMMANDS.manageTrust, [], 'Manage Workspace Trust')}</p>`
    : '';
  return page(frame, title, `${trust}${sections.map(sectionHtml).join('\n')}`);
}

function recordRow(entry: AuditRecordEntry): string {
  const verdict = entry.verdict ?? 'other';
  const subject =
    entry.subject !== '' ? `<code class="subject">${visible(entry.subject, { keepNewlines: true })}</code>` : '';
  const args = `<pre><code>${visible(entry.arguments, { keepNewlines: true })}</code></pre>`;
  const rule = `<code>${visible(entry.rule)}</code> <span class="muted">${visible(entry.source)}</span>`;
  return `<tr class="entry v-${verdict}">
<td>${visible(formatTime(entry.time))}<div class="muted">line ${entry.line}</div></td>
<td><code>${visible(entry.tool)}</code></td>
<td>${subject}<details><summary>Arguments</summary>${args}</details></td>
<td>${badge(entry.verdict)}<div>${rule}</div><div class="reason">${withCode(entry.reason)}</div></td>
<td>${visible(entry.approval)}</td>
<td>${visible(entry.outcome)}</td>
</tr>`;
}

function entryRow(entry: AuditEntry): string {
  if (entry.kind === 'record') return recordRow(entry);
  return `<tr class="entry v-other unreadable"><td colspan="6">Line ${entry.line} is not a record:
<pre><code>${visible(entry.text)}</code></pre></td></tr>`;
}

/** Consecutive entries of one turn share a body, headed by the turn. */
function turnBodies(entries: readonly AuditEntry[]): string {
  const groups: { turn: string | undefined; entries: AuditEntry[] }[] = [];
  for (const entry of entries) {
    const turn = entry.kind === 'record' ? entry.turn : undefined;
    const last = groups[groups.length - 1];
    if (last && last.turn === turn) last.entries.push(entry);
    else groups.push({ turn, entries: [entry] });
  }
  return groups
    .map((group) => {
      const first = group.entries[0];
      const when = first.kind === 'record' ? ` · ${visible(formatTime(first.time))}` : '';
      const title = group.turn === undefined ? 'Unreadable lines' : `Turn <code>${visible(group.turn)}</code>${when}`;
      return `<tbody class="turn">
<tr class="turn-head"><th colspan="6" scope="colgroup">${title}</th></tr>
${group.entries.map(entryRow).join('\n')}
</tbody>`;
    })
    .join('\n');
}

const FILTERS: ReadonlyArray<readonly [id: string, label: string, key: Verdict | 'other' | 'all']> = [
  ['show-all', 'All', 'all'],
  ['show-allow', 'Allowed', 'allow'],
  ['show-ask', 'Asked', 'ask'],
  ['show-deny', 'Denied', 'deny'],
];

export function auditLogPage(frame: PageFrame, view: AuditLogView): string {
  const file = `<p class="file">File: <code>${visible(view.file)}</code> · ${commandLink(
    PAGE_COMMANDS.openRawAuditLog,
    [],
    'Open the raw JSONL',
  )}</p>`;
  if (view.log === undefined)
    return page(
      frame,
      'Warden Audit Log',
      `${file}<p>Nothing has been recorded yet: Warden writes a record here for every tool step the agent takes.</p>`,
    );
  const { chain, entries } = view.log;
  const chainHtml = `<section class="chain ${chain.ok ? 'v-allow' : 'v-deny'}" aria-label="Hash chain">
<p class="headline">${verdictIcon(chain.ok ? 'allow' : 'deny')} <strong>${escapeHtml(chain.headline)}</strong></p>
${chain.details.map((detail) => `<p>${withCode(detail)}</p>`).join('')}
<p class="muted">${withCode(chain.meaning)}</p>
</section>`;
  const total = entries.counts.allow + entries.counts.ask + entries.counts.deny + entries.counts.other;
  const filters = FILTERS.map(([id, label, key], i) => {
    const count = key === 'all' ? total : entries.counts[key];
    const checked = i === 0 ? ' checked' : '';
    return `<input type="radio" name="verdict" id="${id}"${checked}><label for="${id}">${label} (${count})</label>`;
  }).join('\n');
  const shown =
    entries.entries.length < entries.total
      ? `<p class="muted">Showing the last ${entries.entries.length} of ${entries.total} lines; ` +
        'the raw log has all of them.</p>'
      : '';
  return page(
    frame,
    'Warden Audit Log',
    `${file}
${chainHtml}
<fieldset class="filter"><legend>Show decisions</legend>
${filters}
</fieldset>
${shown}
<table class="records">
<caption>Tool steps, oldest first, as recorded (secrets were redacted when each record was written)</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Tool</th><th scope="col">What</th><th scope="col">Decision</th>
<th scope="col">Approval</th><th scope="col">Outcome</th></tr></thead>
${turnBodies(entries.entries)}
</table>`,
  );
}
