// The user settings.json of a code-server the harness starts: a quiet workbench, and the model endpoint.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyEdits, modify, parse } from 'jsonc-parser';

/** No welcome page, tips, update checks, telemetry or built-in AI chat: nothing that covers our UI. */
export const quietWorkbenchSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/** Points Warden at an OpenAI-compatible server on loopback (no API key needed there). */
export function modelSettingsFor(baseUrl) {
  return { 'warden.model.provider': 'openai-compatible', 'warden.model.baseUrl': baseUrl };
}

export function readUserSettings(file) {
  return existsSync(file) ? (parse(readFileSync(file, 'utf8')) ?? {}) : {};
}

/**
 * Sets (or, for `undefined`, removes) top-level keys, keeping the user's comments and formatting.
 * Creates the file with the quiet defaults first if it does not exist.
 */
export function updateUserSettings(file, patch) {
  mkdirSync(dirname(file), { recursive: true });
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `${JSON.stringify(quietWorkbenchSettings, null, 2)}\n`;
  for (const [key, value] of Object.entries(patch)) {
    text = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  writeFileSync(file, text);
}
