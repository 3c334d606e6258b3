// Loopback ports for throw-away servers, and waiting until one answers.
import { createServer } from 'node:net';

/** Resolves `preferred` when it is free on 127.0.0.1, else a port the OS picks. */
export function freePort(preferred = 0) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => (preferred ? resolve(freePort(0)) : reject(error)));
    server.listen(preferred, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx, or rejects after `timeoutMs` (or when `abandon()` says so). */
export async function waitForHttpOk(url, { timeoutMs = 60000, intervalMs = 200, abandon = () => undefined } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    const reason = abandon();
    if (reason) throw new Error(`${url} will not answer: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
