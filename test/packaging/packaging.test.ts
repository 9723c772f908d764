import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/pos-channels';
import { PROVISIONING_TYPE, type ProvisioningBundle } from '../../shared/wire/provisioning';
import { generateTillKey } from '../../cloud-worker/queue/node-primitives';
import { TILL_WEB_PREFERENCES } from '../../main/electron/window';
import { buildApp } from '../../scripts/build-app';

/**
 * What can be checked of the packaged app without the Electron binary: the
 * electron-builder config is valid and names only files that the build
 * makes, the built main process runs in Node with Electron replaced, and the
 * bundled sync command and sync worker run on their own.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const requireCjs = createRequire(import.meta.url);
// electron-builder's own loader and validator (from app-builder-lib, which it is built on).
const { getConfig, validateConfiguration } = requireCjs('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
let dir: string;
let config: Configuration;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'haat-packaging-'));
  await buildApp();
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nonEmpty(path: string): boolean {
  return existsSync(path) && (statSync(path).isFile() || readdirSync(path).length > 0);
}

describe('the electron-builder config', () => {
  it('passes electron-builder’s own validation', async () => {
    const { DebugLogger } = requireCjs('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('com.haat.pos');
    expect(config.productName).toBe('Haat');
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.npmRebuild).toBe(true);
  });

  it('names only files that exist after the build', () => {
    const main = (config.extraMetadata as { main: string }).main;
    expect(existsSync(join(root, main))).toBe(true);
    // electron-builder folds the list into one file set with a filter.
    const patterns = (config.files as { filter: string[] }[]).flatMap((set) => set.filter);
    expect(patterns).toContain('dist/electron/**');
    for (const pattern of patterns) {
      if (pattern.startsWith('!')) continue;
      const path = join(root, pattern.replace(/\/\*\*$/, ''));
      expect(nonEmpty(path), pattern).toBe(true);
    }
    for (const name of ['main.cjs', 'preload.cjs', 'sync-worker.cjs', 'haat-sync.cjs', 'migrations']) {
      expect(nonEmpty(join(root, 'dist/electron', name)), name).toBe(true);
    }
    expect(existsSync(join(root, 'dist/renderer/index.html'))).toBe(true);
    for (const resource of config.extraResources as { from: string }[]) {
      expect(nonEmpty(join(root, resource.from)), resource.from).toBe(true);
    }
    for (const unpacked of config.asarUnpack as string[]) {
      expect(nonEmpty(join(root, unpacked.replace(/\/\*\*$/, ''))), unpacked).toBe(true);
    }
    for (const command of ['haat-sync', 'haat-provision']) {
      accessSync(join(root, 'scripts/packaging/bin', command), constants.X_OK);
      expect(existsSync(join(root, 'scripts/packaging/bin', `${command}.cmd`))).toBe(true);
      expect(existsSync(join(root, 'dist/electron', `${command}.cjs`))).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // Rebuilt for Electron's ABI by npmRebuild, so it must ship as a dependency.
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
  });
});

describe('the built main process, with Electron replaced', () => {
  it('opens the till, answers PosApi over IPC to its own page only, in a sandboxed window', () => {
    const reportPath = join(dir, 'report.json');
    const run = spawnSync(
      process.execPath,
      ['--require', join(root, 'test/packaging/fake-electron.cjs'), join(root, 'dist/electron/main.cjs')],
      {
        env: {
          ...process.env,
          HAAT_DEMO: '1',
          FAKE_ELECTRON_USER_DATA: dir,
          FAKE_ELECTRON_REPORT: reportPath,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
      sandbox: boolean;
      channels: string[];
      windows: { webPreferences: Record<string, unknown> }[];
      loaded: string[];
      calls: Record<string, { ok: boolean; value?: { branch?: string }; error?: { code: string } }>;
    };
    expect(report.sandbox).toBe(true);
    expect([...report.channels].sort()).toEqual([...CHANNELS].sort());
    expect(report.windows).toHaveLength(1);
    const { preload, ...preferences } = report.windows[0]!.webPreferences;
    expect(preferences).toEqual(TILL_WEB_PREFERENCES);
    expect(preload).toBe(join(root, 'dist/electron/preload.cjs'));
    expect(report.loaded).toEqual([join(root, 'dist/renderer/index.html')]);
    expect(report.calls.info).toMatchObject({ ok: true, value: { branch: 'DHK01' } });
    expect(report.calls.untrusted).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    expect(report.calls.login).toMatchObject({ ok: true });
    expect(existsSync(join(dir, 'till.sqlite'))).toBe(true);
  });
});

describe('the bundled sync command and worker', () => {
  it('haat-sync runs in plain Node and says when there is no till', () => {
    const run = spawnSync(process.execPath, [join(root, 'dist/electron/haat-sync.cjs'), '--status'], {
      env: { ...process.env, HAAT_TILL_DIR: join(dir, 'no-till') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`No till in ${join(dir, 'no-till')}`);
  });

  it('haat-provision installs a till from a bundle, and haat-sync then knows it', () => {
    const key = generateTillKey();
    const bundle: ProvisioningBundle = {
      type: PROVISIONING_TYPE,
      v: 1,
      branch: 'SYL01',
      till: 3,
      keyId: key.keyId,
      signingKey: key.privateKey,
      apiUrl: 'http://127.0.0.1:9',
      pullToken: 'x'.repeat(43),
      issuedAt: Date.now(),
    };
    const file = join(dir, 'SYL01-3.json');
    writeFileSync(file, JSON.stringify(bundle));
    const env = { ...process.env, HAAT_TILL_DIR: join(dir, 'syl01-3') };
    const install = spawnSync(process.execPath, [join(root, 'dist/electron/haat-provision.cjs'), file], {
      env,
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain('Installed till SYL01-3');
    const status = spawnSync(process.execPath, [join(root, 'dist/electron/haat-sync.cjs'), '--status'], {
      env,
      encoding: 'utf8',
    });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toContain('Till SYL01-3');
  });

  it('the sync worker bundle runs on a worker thread and reports a till that is not set up', () => {
    const script = `
      const { Worker } = require('node:worker_threads');
      const w = new Worker(${JSON.stringify(join(root, 'dist/electron/sync-worker.cjs'))}, { workerData: { dir: ${JSON.stringify(join(dir, 'no-till'))} } });
      w.on('message', (m) => { if (m.type !== 'progress') { console.log(JSON.stringify(m)); process.exit(0); } });
      w.on('error', (e) => { console.error(e); process.exit(1); });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: 'failed' });
  });
});
