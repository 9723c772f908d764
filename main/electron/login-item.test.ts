import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKGROUND_FLAG, startAtLogin } from './login-item';

let home: string;
const calls: unknown[] = [];
const app = { setLoginItemSettings: (s: unknown) => void calls.push(s) };

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'haat-home-'));
  calls.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('starting the till at login', () => {
  it('on Windows, is a login item that starts the app in the background', () => {
    expect(startAtLogin(app, { platform: 'win32', execPath: 'C:\\Program Files\\Haat\\Haat.exe', home, env: {} })).toBe(
      'login items',
    );
    expect(calls).toEqual([{ openAtLogin: true, path: 'C:\\Program Files\\Haat\\Haat.exe', args: [BACKGROUND_FLAG] }]);
  });

  it('on Linux, is an XDG autostart entry, written once, naming the AppImage rather than its mount', () => {
    const env = { APPIMAGE: '/home/shop/Apps/Haat 0.1.0.AppImage' };
    const file = startAtLogin(app, { platform: 'linux', execPath: '/tmp/.mount_Haat/haat', home, env });
    expect(file).toBe(join(home, '.config/autostart/haat.desktop'));
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('Exec="/home/shop/Apps/Haat 0.1.0.AppImage" --background');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\nName=Haat\n')).toBe(true);
    expect(calls).toEqual([]);
    expect(
      startAtLogin(app, {
        platform: 'linux',
        execPath: '/opt/Haat/haat',
        home,
        env: { XDG_CONFIG_HOME: join(home, 'cfg') },
      }),
    ).toBe(join(home, 'cfg/autostart/haat.desktop'));
    expect(readFileSync(join(home, 'cfg/autostart/haat.desktop'), 'utf8')).toContain(
      'Exec="/opt/Haat/haat" --background',
    );
  });
});
