// Entry point of the chat webview bundle (dist/webview.js): acquires the VS Code API once and wires
// window messages into the chat app. All behaviour lives in chatApp.ts, which tests drive with jsdom.
import { createChatApp } from './chatApp';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = createChatApp(root, {
    post: (message) => vscode.postMessage(message),
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
  });
  window.addEventListener('message', (event: MessageEvent) => app.receive(event.data));
} else {
  console.error('Warden: the chat view has no #app element.');
}
