// Entry point of one scenario process: `node scenario-main.js NAME JSON-PARAMS`; the result goes back to
// the runner over IPC (or stdout when run by hand).
import { burst, churn, coldStart, fanOut, type ScenarioResult } from './scenarios';
import { outageRecovery } from './outage';
import { nodeGroupChurn } from './node-group-churn';
import { propagation } from './propagation';
import { gatewayTranslation } from './gateway-translation';

const SCENARIOS: Record<string, (params: never) => Promise<ScenarioResult>> = {
  coldStart,
  fanOut,
  churn,
  burst,
  nodeGroupChurn,
  outageRecovery,
  propagation,
  gatewayTranslation,
};

async function main(): Promise<void> {
  const [name = '', json = '{}'] = process.argv.slice(2);
  const run = SCENARIOS[name];
  if (!run) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const result = await run(JSON.parse(json) as never);
  if (process.send) process.send({ type: 'result', result });
  else console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
