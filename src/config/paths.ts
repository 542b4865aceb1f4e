import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Paths {
  configFile: string;
  stateDir: string;
  databaseFile: string;
  userThemesDir: string;
  /** Runtime host tokens, one file each, mode 0600. */
  hostTokensDir: string;
}

export interface PathInputs {
  home?: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** `--home` (or CONTROL_ROOM_HOME) holds everything; otherwise the XDG folders (`cli.md`). */
export function resolvePaths({ home, env }: PathInputs): Paths {
  const root = home ?? (env.CONTROL_ROOM_HOME || undefined);
  if (root !== undefined) {
    return {
      configFile: join(root, 'config.yaml'),
      stateDir: root,
      databaseFile: join(root, 'control-room.db'),
      userThemesDir: join(root, 'themes'),
      hostTokensDir: join(root, 'host-tokens'),
    };
  }
  const userHome = env.HOME || homedir();
  const configDir = join(env.XDG_CONFIG_HOME || join(userHome, '.config'), 'control-room');
  const stateDir = join(env.XDG_STATE_HOME || join(userHome, '.local', 'state'), 'control-room');
  return {
    configFile: join(configDir, 'config.yaml'),
    stateDir,
    databaseFile: join(stateDir, 'control-room.db'),
    userThemesDir: join(configDir, 'themes'),
    hostTokensDir: join(stateDir, 'host-tokens'),
  };
}
