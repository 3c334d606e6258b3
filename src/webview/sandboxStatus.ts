// The chat header's shield: whether the agent's commands run in the sandbox ("Sandbox on"), or why not
// ("Sandbox off", "No sandbox"), with what holds in the tooltip. A click opens "Warden: Show Sandbox Status".
// Its own module with one mount point, so it can move with the header.
import type { Codicon } from '../shared/codicons';
import type { SandboxStatusView, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

export interface SandboxStatusUi {
  /** Mounted in the header. */
  readonly chip: HTMLElement;
  update(status: SandboxStatusView): void;
}

const ICONS: Record<SandboxStatusView['state'], Codicon> = {
  preview: 'shield',
  enforce: 'shield',
  off: 'warning',
  unavailable: 'warning',
};

export function createSandboxStatus(doc: Document, post: (message: WebviewMessage) => void): SandboxStatusUi {
  // Hidden until the host says what holds: never a shield the host has not confirmed.
  const chip = h(doc, 'button', { type: 'button', class: 'sandbox-status', hidden: true });
  chip.addEventListener('click', () => post({ type: 'action', command: 'warden.showSandboxStatus' }));
  return {
    chip,
    update(status) {
      const on = status.state === 'preview' || status.state === 'enforce';
      chip.hidden = false;
      chip.className = `sandbox-status sandbox-status-${on ? 'on' : 'off'}`;
      chip.title = [...status.tooltip, 'Click for the sandbox status.'].join('\n');
      chip.setAttribute('aria-label', `${status.text}. ${status.tooltip.join(' ')} Show the sandbox status`);
      // A narrow sidebar shows the icon only (chat.css); the words are in the name and the tooltip.
      chip.replaceChildren(
        codicon(doc, ICONS[status.state]),
        h(doc, 'span', { class: 'sandbox-status-text', 'aria-hidden': 'true' }, status.text),
      );
    },
  };
}
