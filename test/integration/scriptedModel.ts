// The scripted model server's control API from inside the extension host (the harness starts the server and
// points warden.model.* at it, passing its URL as WARDEN_TEST_MODEL_URL), and a polling wait.
import * as assert from 'node:assert/strict';
import type { RecordedRequest, ScriptStep } from '../fixtures/scriptedModelServer';

export interface ScriptedModel {
  enqueue(...steps: ScriptStep[]): Promise<void>;
  reset(): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
  /** The chat completion requests, oldest first. */
  chatRequests(): Promise<RecordedRequest[]>;
}

/** undefined when the harness started no model server. */
export function scriptedModel(): ScriptedModel | undefined {
  const url = process.env.WARDEN_TEST_MODEL_URL;
  if (!url) return undefined;
  const root = url.replace(/\/v1\/?$/, '');
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${root}/__script/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `POST /__script/${route}`);
  };
  const requests = async () => (await (await fetch(`${root}/__script/requests`)).json()) as RecordedRequest[];
  return {
    enqueue: (...steps) => post('enqueue', steps),
    reset: () => post('reset', {}),
    requests,
    chatRequests: async () =>
      (await requests()).filter((r) => r.method === 'POST' && /chat\/completions$/.test(r.path)),
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
