// One read-only webview panel per kind of inspection page (explanations, the audit log), reused and
// revealed on each command. No script runs in it; its only links are command links to the commands
// PAGE_COMMANDS names, which the webview allows and nothing else.
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { PAGE_COMMANDS, type PageFrame } from './inspectHtml';

export type InspectPanelKind = 'explanation' | 'auditLog';

export class InspectPanels extends Disposable {
  private readonly panels = new Map<InspectPanelKind, vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri) {
    super();
  }

  /** Shows `html(frame)` in the panel of this kind, creating it when needed; returns the HTML shown. */
  show(kind: InspectPanelKind, title: string, html: (frame: PageFrame) => string): string {
    const panel = this.panels.get(kind) ?? this.create(kind, title);
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const frame: PageFrame = {
      cspSource: panel.webview.cspSource,
      stylesheets: [
        panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css')).toString(),
        panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'inspect.css')).toString(),
      ],
    };
    const page = html(frame);
    panel.title = title;
    panel.webview.html = page;
    panel.reveal(panel.viewColumn ?? vscode.ViewColumn.Active);
    return page;
  }

  private create(kind: InspectPanelKind, title: string): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      `warden.inspect.${kind}`,
      title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: false,
        enableCommandUris: Object.values(PAGE_COMMANDS),
        enableFindWidget: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.extensionUri, 'dist'),
          vscode.Uri.joinPath(this.extensionUri, 'media'),
        ],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'warden.svg');
    this.panels.set(kind, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(kind) === panel) this.panels.delete(kind);
    });
    return panel;
  }

  override dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    super.dispose();
  }
}
