// The OpenAI client ships as its own bundle (dist/openai.js) with its own copy of ModelError: an error it
// throws must still be a ModelError to the session, or a 401 would read as a bug instead of "Set API Key".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { ModelError } from '../../../src/core/model/types';

describe('ModelError across bundles', () => {
  test('an error made by a second copy of the class is a ModelError, with its kind and status', async () => {
    // A second, separately bundled copy of the module, as dist/openai.js carries it.
    const bundled = await build({
      entryPoints: ['src/core/model/types.ts'],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      write: false,
    });
    const module = { exports: {} as { ModelError: typeof ModelError } };
    new Function('module', 'exports', bundled.outputFiles[0].text)(module, module.exports);
    const OtherCopy = module.exports.ModelError;
    assert.notEqual(OtherCopy, ModelError, 'really another class');
    const error = new OtherCopy('auth', 'Scripted error 401', 401);
    assert.ok(error instanceof ModelError);
    assert.equal((error as ModelError).kind, 'auth');
    assert.equal((error as ModelError).status, 401);
  });

  test('other errors, and look-alikes without the mark, are not ModelErrors', () => {
    assert.equal(new Error('x') instanceof ModelError, false);
    assert.equal(Object.assign(new Error('x'), { name: 'ModelError', kind: 'auth' }) instanceof ModelError, false);
    assert.equal((null as unknown as object) instanceof ModelError, false);
    assert.equal(new ModelError('server', 'x') instanceof ModelError, true);
  });
});
