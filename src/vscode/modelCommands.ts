// "Warden: Test Model Connection": picks a profile (the workspace's current one first), runs the core's connection
// test with a cancellable progress notification, and shows its one-paragraph summary with the error's next step.
import * as vscode from 'vscode';
import type { ConnectionReport } from '../core/model/connectionTest';
import type { ModelErrorCommand } from '../core/model/errorMessages';
import type { ModelProfile } from '../core/model/profiles';
import type { OutputLogger } from './logger';
import type { ModelClientFactory } from './modelClients';
import type { ModelProfileHost } from './modelProfiles';

export const TEST_MODEL_CONNECTION_COMMAND = 'warden.testModelConnection';

export function registerModelCommands(
  profiles: ModelProfileHost,
  models: ModelClientFactory,
  logger: OutputLogger,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TEST_MODEL_CONNECTION_COMMAND, async (profileId?: unknown) => {
      const profile = await pickProfile(profiles, typeof profileId === 'string' ? profileId : undefined);
      if (profile === undefined) return undefined;
      const report = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Warden: testing ${profile.label}…`,
          cancellable: true,
        },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return models.testConnection(profile, controller.signal);
        },
      );
      logger.info(`Test Model Connection — ${report.summary}`);
      void showReport(report, logger);
      return report;
    }),
  ];
}

/** The profile named by `profileId`, the only one, or the one the user picks; undefined when cancelled. */
async function pickProfile(
  profiles: ModelProfileHost,
  profileId: string | undefined,
): Promise<ModelProfile | undefined> {
  const list = profiles.list();
  if (profileId !== undefined) return list.find((profile) => profile.id === profileId);
  if (list.length === 1) return list[0];
  const current = profiles.current();
  const items = [current, ...list.filter((profile) => profile.id !== current.id)].map((profile) => ({
    label: profile.label,
    description: profile.id === current.id ? 'used in this workspace' : profile.id,
    profile,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Warden: Test Model Connection',
    placeHolder: 'Which model profile?',
  });
  return picked?.profile;
}

async function showReport(report: ConnectionReport, logger: OutputLogger): Promise<void> {
  if (report.error !== undefined) {
    const action = report.error.action;
    const choice = await vscode.window.showErrorMessage(
      `Warden: ${report.summary}`,
      ...(action === undefined ? [] : [action.label]),
    );
    if (action !== undefined && choice === action.label) await runAction(action.command, logger);
    return;
  }
  const show = report.warnings.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  await show(`Warden: ${report.summary}`);
}

async function runAction(command: ModelErrorCommand, logger: OutputLogger): Promise<void> {
  switch (command) {
    case 'warden.setApiKey':
      await vscode.commands.executeCommand('warden.setApiKey');
      return;
    case 'warden.openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:warden-dev.warden');
      return;
    case 'warden.showLog':
      logger.show();
      return;
  }
}
