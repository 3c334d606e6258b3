// Property tests explore new inputs on every local run, but CI replays one fixed seed so that its verdict
// depends on the commit alone. WARDEN_FC_SEED=<number> replays a failure that fast-check reported.
import fc from 'fast-check';

const FIXED_CI_SEED = 20261123;

const requested = process.env.WARDEN_FC_SEED;
const seed =
  requested !== undefined && requested !== '' ? Number(requested) : process.env.CI ? FIXED_CI_SEED : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`WARDEN_FC_SEED must be an integer, got ${JSON.stringify(requested)}`);
  fc.configureGlobal({ seed });
}
