declare const __CONTROL_ROOM_VERSION__: string | undefined;

/** Set by the bundler from package.json; running from source (tests) says so. */
export const VERSION: string =
  typeof __CONTROL_ROOM_VERSION__ === 'string' ? __CONTROL_ROOM_VERSION__ : '0.0.0-source';
