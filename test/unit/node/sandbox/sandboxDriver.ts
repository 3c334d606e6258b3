// Runs one sandbox scenario and prints its observation as JSON: bundled by the tests and started as the
// unprivileged test user, so the runner takes the path a normal user's extension host takes.
import { SCENARIOS, type ScenarioContext } from './sandboxScenarios';

async function main(): Promise<void> {
  const [name, contextJson] = process.argv.slice(2);
  const scenario = SCENARIOS[name];
  if (scenario === undefined) throw new Error(`unknown scenario ${name}`);
  const observation = await scenario(JSON.parse(contextJson) as ScenarioContext);
  process.stdout.write(`${JSON.stringify(observation)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
