import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { CHANNELS } from '../../shared/pos-channels';

/**
 * A sandboxed preload may `require` only a few Electron modules. Bundled as
 * `npm run app` bundles it, ours must need nothing but `electron`, and must
 * expose the bridge under `pos` when it runs.
 */
it('bundles to a script that requires only electron and exposes window.pos', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./preload.ts', import.meta.url))],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const required: string[] = [];
  const exposed: Record<string, unknown> = {};
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: { invoke: async (channel: string) => ({ ok: true, value: channel }) },
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(
    (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return fakeElectron;
    },
    module,
    module.exports,
  );
  expect(required).toEqual(['electron']);
  expect(Object.keys(exposed.pos as object).sort()).toEqual([...CHANNELS].sort());
  expect(await (exposed.pos as Record<string, (i: unknown) => Promise<unknown>>)['till:info']!({})).toEqual({
    ok: true,
    value: 'till:info',
  });
  expect(code.length).toBeLessThan(20_000);
});
