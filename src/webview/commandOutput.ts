// A command's output in its chat row: ANSI colours become classes on spans of text (theme colours, never
// styles or markup from the output), every other escape sequence is dropped, a carriage-return progress
// line shows its last state. Capped by the host (the end of the output is kept); scrollable here.
import type { CommandOutputView, WebviewMessage } from '../shared/protocol';
import { codicon, h } from './dom';

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** SGR parameters applied to a style (unknown ones ignored; 256 and true colours are skipped). */
function applySgr(style: Style, params: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) for (const key of Object.keys(next)) delete next[key as keyof Style];
    else if (p === 1) next.bold = true;
    else if (p === 2) next.dim = true;
    else if (p === 3) next.italic = true;
    else if (p === 4) next.underline = true;
    else if (p === 22) next.bold = next.dim = false;
    else if (p === 23) next.italic = false;
    else if (p === 24) next.underline = false;
    else if (p >= 30 && p <= 37) next.fg = NAMES[p - 30];
    else if (p >= 90 && p <= 97) next.fg = `bright-${NAMES[p - 90]}`;
    else if (p === 39) delete next.fg;
    else if (p >= 40 && p <= 47) next.bg = NAMES[p - 40];
    else if (p >= 100 && p <= 107) next.bg = `bright-${NAMES[p - 100]}`;
    else if (p === 49) delete next.bg;
    else if (p === 38 || p === 48) i += params[i + 1] === 5 ? 2 : params[i + 1] === 2 ? 4 : 1;
  }
  return next;
}

function classesOf(style: Style): string {
  const classes: string[] = [];
  if (style.fg) classes.push(`ansi-fg-${style.fg}`);
  if (style.bg) classes.push(`ansi-bg-${style.bg}`);
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  return classes.join(' ');
}

/** Each line shows what follows its last carriage return, as a terminal would have left it. */
function settleCarriageReturns(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const cut = line.replace(/\r+$/, '');
      const at = cut.lastIndexOf('\r');
      return at === -1 ? cut : cut.slice(at + 1);
    })
    .join('\n');
}

// OSC (title, hyperlinks…), CSI other than SGR, and lone two-character escapes. Matching escape codes is
// the point here, hence the control characters.
// eslint-disable-next-line no-control-regex
const NON_SGR = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[([0-9;]*)m/g;

/** The output as text nodes in spans, coloured by class. */
export function renderAnsi(doc: Document, raw: string): DocumentFragment {
  const text = settleCarriageReturns(raw.replace(NON_SGR, ''));
  const fragment = doc.createDocumentFragment();
  let style: Style = {};
  let at = 0;
  const push = (piece: string) => {
    if (piece === '') return;
    const classes = classesOf(style);
    fragment.append(classes ? h(doc, 'span', { class: classes }, piece) : doc.createTextNode(piece));
  };
  for (const match of text.matchAll(SGR)) {
    push(text.slice(at, match.index));
    const params = match[1] === '' ? [0] : match[1].split(';').map((part) => Number(part) || 0);
    style = applySgr(style, params);
    at = match.index! + match[0].length;
  }
  push(text.slice(at));
  return fragment;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The expanded part of a command row: the output, how it ended, and a way to the terminal. */
export function renderCommandOutput(
  doc: Document,
  post: (message: WebviewMessage) => void,
  output: CommandOutputView,
): HTMLElement {
  const pre = h(doc, 'pre', { class: 'tool-output command-output', tabindex: 0, 'aria-label': 'Command output' });
  if (output.truncated) pre.append(h(doc, 'span', { class: 'output-truncated' }, '[earlier output not shown]\n'));
  pre.append(
    output.text === '' ? h(doc, 'span', { class: 'output-empty' }, '(no output)') : renderAnsi(doc, output.text),
  );
  const terminal = h(
    doc,
    'button',
    { type: 'button', class: 'button-link', title: 'Show the Warden terminal' },
    codicon(doc, 'terminal'),
    'Show terminal',
  );
  terminal.addEventListener('click', () => post({ type: 'action', command: 'warden.showTerminal' }));
  const ended = output.exitCode === null ? 'no exit code' : `exit ${output.exitCode}`;
  return h(
    doc,
    'div',
    { class: 'command-result' },
    pre,
    h(
      doc,
      'div',
      { class: 'command-summary' },
      h(doc, 'span', { class: output.exitCode === 0 ? 'exit-ok' : 'exit-failed' }, ended),
      h(doc, 'span', {}, `· ${duration(output.durationMs)}`),
      terminal,
    ),
  );
}
