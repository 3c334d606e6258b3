// The smallest end-to-end path: Warden installed in a real workbench, its chat opened from the palette.
import { test } from 'node:test';
import { withWorkbench } from './harness';

test('the chat opens from the command palette with its message box and Send button', async () => {
  await withWorkbench('smoke', async (workbench) => {
    await workbench.openChat();
    await workbench.chatButton('Send').waitFor();
    await workbench.screenshot('smoke-chat-open');
  });
});
