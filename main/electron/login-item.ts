import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The till app started at login runs its sync timer with no window until someone opens it. */
export const BACKGROUND_FLAG = '--background';

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface LoginItemContext {
  readonly platform: NodeJS.Platform;
  /** The app's executable (for an AppImage, the APPIMAGE path, not its temporary mount). */
  readonly execPath: string;
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Makes the till start at login, in the background, so that sales rung up
 * after the last sync of the day still reach head office overnight. Windows
 * and macOS have a login-item setting; on Linux it is an XDG autostart entry.
 * Returns where it was recorded.
 */
export function startAtLogin(app: LoginItemApp, context: LoginItemContext): string {
  const execPath = context.env.APPIMAGE ?? context.execPath;
  if (context.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin: true, path: execPath, args: [BACKGROUND_FLAG] });
    return 'login items';
  }
  const dir = join(context.env.XDG_CONFIG_HOME ?? join(context.home, '.config'), 'autostart');
  const file = join(dir, 'haat.desktop');
  const entry = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Haat',
    'Comment=Keeps the Haat till in sync with head office',
    `Exec="${execPath.replaceAll('"', '\\"')}" ${BACKGROUND_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  if (readIfThere(file) !== entry) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, entry);
  }
  return file;
}

function readIfThere(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
