// The MCP part of the chat: a header entry ("2 MCP servers · 1 failed", shown only when servers are
// configured) that opens "List MCP Servers", and a panel for servers a repository defines, showing exactly
// the command line or URL that would start, with Approve Server / Not Now. Everything is built as text.
import type { Codicon } from '../shared/codicons';
import type { McpAwaitingServerView, McpStatusView, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export interface McpStatusUi {
  /** Mounted in the header. */
  readonly indicator: HTMLElement;
  /** Mounted below the header. */
  readonly panel: HTMLElement;
  update(status: McpStatusView): void;
}

export interface McpHeadline {
  text: string;
  /** Configured servers, awaiting ones included. */
  total: number;
  icon: Codicon;
  level: 'ok' | 'warning' | 'error' | 'busy';
  tooltip: string;
}

const STATE_TEXT: Record<McpStatusView['servers'][number]['state'], string> = {
  idle: 'starts on the next turn that needs tools',
  starting: 'starting',
  ready: 'running',
  failed: 'failed to start',
  crashed: 'stopped unexpectedly',
  stopped: 'stopped',
  disabled: 'disabled',
  withheld: 'tools withheld until you review their change',
  untrusted: 'off: the workspace is not trusted',
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The header's words for a status, or undefined when no server is configured (nothing is shown then). */
export function mcpHeadline(status: McpStatusView): McpHeadline | undefined {
  const total = status.servers.length + status.awaiting.length;
  if (total === 0) return undefined;
  const count = (...states: string[]) => status.servers.filter((s) => states.includes(s.state)).length;
  const failed = count('failed', 'crashed');
  const withheld = count('withheld');
  const starting = count('starting');
  const awaiting = status.awaiting.length;
  const parts = [plural(total, 'MCP server', 'MCP servers')];
  if (failed > 0) parts.push(`${failed} failed`);
  if (withheld > 0) parts.push(`${withheld} withheld`);
  if (awaiting > 0) parts.push(`${awaiting} awaiting approval`);
  const lines = status.servers.map((server) => {
    const tools =
      server.state === 'ready' && server.toolCount !== undefined
        ? `, ${plural(server.toolCount, 'tool', 'tools')}`
        : '';
    const message = server.message === undefined ? '' : `: ${server.message}`;
    return `${server.name} — ${STATE_TEXT[server.state]}${tools}${message}`;
  });
  for (const server of status.awaiting) lines.push(`${server.name} — awaiting your approval (${server.source})`);
  lines.push('Click to list the MCP servers.');
  const level = failed > 0 ? 'error' : withheld > 0 || awaiting > 0 ? 'warning' : starting > 0 ? 'busy' : 'ok';
  const icon = ({ error: 'error', warning: 'warning', busy: 'loading', ok: 'plug' } as const)[level];
  return { text: parts.join(' · '), total, icon, level, tooltip: lines.join('\n') };
}

export function createMcpStatus(doc: Document, post: (message: WebviewMessage) => void): McpStatusUi {
  const indicator = h(doc, 'button', { type: 'button', class: 'mcp-status', hidden: true });
  indicator.addEventListener('click', () => post({ type: 'action', command: 'warden.listMcpServers' }));
  const panel = h(doc, 'div', { class: 'mcp-panel', hidden: true });

  function renderIndicator(status: McpStatusView): void {
    const headline = mcpHeadline(status);
    indicator.hidden = headline === undefined;
    if (headline === undefined) {
      indicator.replaceChildren();
      return;
    }
    indicator.className = `mcp-status mcp-status-${headline.level}`;
    indicator.title = headline.tooltip;
    indicator.setAttribute('aria-label', `${headline.text}. List MCP servers`);
    // A narrow sidebar shows the icon and the number only (chat.css); the words are in the name and tooltip.
    indicator.replaceChildren(
      codicon(doc, headline.icon, headline.level === 'busy' ? 'codicon-modifier-spin' : ''),
      h(doc, 'span', { class: 'mcp-status-text', 'aria-hidden': 'true' }, headline.text),
      h(doc, 'span', { class: 'mcp-status-count', 'aria-hidden': 'true' }, String(headline.total)),
    );
  }

  function awaitingCard(server: McpAwaitingServerView, trusted: boolean): HTMLElement {
    const approve = h(
      doc,
      'button',
      { type: 'button', class: 'button-primary', disabled: !trusted },
      codicon(doc, 'check'),
      'Approve Server',
    );
    approve.addEventListener('click', () => post({ type: 'approveMcpServer', key: server.key, hash: server.hash }));
    const notNow = h(doc, 'button', { type: 'button', class: 'button-secondary' }, 'Not Now');
    notNow.addEventListener('click', () => post({ type: 'dismissMcpServer', key: server.key, hash: server.hash }));
    const what = server.type === 'stdio' ? 'Command line' : 'URL';
    return h(
      doc,
      'div',
      { class: 'mcp-awaiting', role: 'group', 'aria-label': `MCP server ${server.name} awaiting approval` },
      h(
        doc,
        'div',
        { class: 'mcp-awaiting-title' },
        codicon(doc, 'shield'),
        h(
          doc,
          'span',
          {},
          server.changed ? 'Changed repository MCP server ' : 'Repository MCP server ',
          h(doc, 'strong', {}, server.name),
          ` (${server.source})`,
        ),
      ),
      h(
        doc,
        'div',
        { class: 'mcp-awaiting-note' },
        server.changed
          ? 'Its definition changed since you approved it. It stays off until you approve it again.'
          : 'It does not start until you approve it. It would run with your user rights:',
      ),
      h(doc, 'div', { class: 'mcp-label' }, what),
      h(doc, 'pre', { class: 'mcp-target' }, h(doc, 'code', {}, server.target)),
      server.cwd === undefined ? null : h(doc, 'div', { class: 'mcp-detail' }, `Working directory: ${server.cwd}`),
      ...server.environment.map((line) => h(doc, 'div', { class: 'mcp-detail' }, `Environment: ${line}`)),
      ...server.headers.map((line) => h(doc, 'div', { class: 'mcp-detail' }, `Header: ${line}`)),
      ...server.warnings.map((line) => h(doc, 'div', { class: 'mcp-warning' }, codicon(doc, 'warning'), `It ${line}.`)),
      trusted
        ? null
        : h(doc, 'div', { class: 'mcp-detail' }, 'Trust this workspace first: only then can its servers be approved.'),
      h(doc, 'div', { class: 'approval-actions' }, approve, notNow),
    );
  }

  return {
    indicator,
    panel,
    update(status) {
      renderIndicator(status);
      const shown = status.awaiting.filter((server) => !server.dismissed);
      panel.replaceChildren(...shown.map((server) => awaitingCard(server, status.trusted)));
      panel.hidden = shown.length === 0;
    },
  };
}
