import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSystemPrompt } from '../../../src/core/agent/systemPrompt';
import { builtInTools } from '../../../src/core/tools/toolRegistry';

const tools = builtInTools();
const base = {
  folderNames: ['api', 'web'],
  os: 'darwin',
  shell: 'zsh',
  mode: 'agent' as const,
  toolsAvailable: true,
  tools: tools.offered('agent', true),
};

describe('the system prompt', () => {
  test('names Warden, the workspace folders and the platform', () => {
    const prompt = buildSystemPrompt(base);
    assert.match(prompt, /You are Warden/);
    assert.match(prompt, /"api", "web"/);
    assert.match(prompt, /darwin/);
    assert.match(prompt, /zsh/);
  });

  test('explains exact old_text, previews, and that denials must not be worked around', () => {
    const prompt = buildSystemPrompt(base);
    assert.match(prompt, /copy old_text exactly from read_file/);
    assert.match(prompt, /shown to the user as a diff and may be rejected/);
    assert.match(prompt, /never try to reach the same file or effect another way/);
  });

  test('Agent mode steers searches to search_files, which skips denied files, rather than grep -r', () => {
    assert.match(buildSystemPrompt(base), /Search with search_files, not grep -r/);
  });

  test('Ask mode lists only the read tools and says edits are not possible', () => {
    const prompt = buildSystemPrompt({ ...base, mode: 'ask', tools: tools.offered('ask', true) });
    assert.doesNotMatch(prompt, /edit_file, write_file/);
    assert.doesNotMatch(prompt, /run_command/);
    assert.match(prompt, /Ask mode/);
  });

  test('an untrusted workspace gets a prompt without tools', () => {
    const prompt = buildSystemPrompt({
      ...base,
      toolsAvailable: false,
      folderNames: [],
      tools: tools.offered('agent', false),
    });
    assert.match(prompt, /not trusted/);
    assert.doesNotMatch(prompt, /read_file/);
  });

  test('stays concise', () => {
    assert.ok(buildSystemPrompt(base).length < 2_500);
  });
});
