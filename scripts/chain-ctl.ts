/**
 * `npm run chain -- offline CTG01`: cuts a branch's line to head office in
 * the running local chain (`npm start`), so that its tills keep selling with
 * sales piling up as pending; `online CTG01` brings it back, `status` shows
 * every branch.
 *
 *   npm run chain -- status | offline <BRANCH> | online <BRANCH> [--data DIR]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chainPaths, readState } from './chain/plan';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { data: { type: 'string', default: '.data/chain' } },
  });
  const [command, branch] = positionals;
  const state = readState(chainPaths(resolve(values.data)));
  if (!state) throw new Error(`no chain in ${values.data}: run \`npm start\` first`);
  const base = `http://127.0.0.1:${state.ports.control}`;
  let res: Response;
  try {
    if (command === 'status' || command === undefined) res = await fetch(`${base}/status`);
    else if ((command === 'offline' || command === 'online') && branch)
      res = await fetch(`${base}/branches/${branch.toUpperCase()}/${command}`, { method: 'POST' });
    else throw new Error('usage: npm run chain -- status | offline <BRANCH> | online <BRANCH>');
  } catch (e) {
    if ((e as Error).message.startsWith('usage')) throw e;
    throw new Error('the chain is not running: start it with `npm start`', { cause: e });
  }
  const body = (await res.json()) as Record<string, string>;
  if (!res.ok) throw new Error(body.error ?? `refused: ${res.status}`);
  for (const [code, line] of Object.entries(body)) console.log(`${code.padEnd(8)} ${line}`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
