/**
 * The environment variables the engine reads besides those standing in for a flag (which the
 * option table names): one line of help each, listed by the help.
 *
 * @module
 */

/** Each variable with what it does. */
export const ENVIRONMENT = {
  PSINV_POLL: "seconds between looks at the SLURM queue (default 5)",
  PSINV_REMOTE_TOKEN: "a token for the remote, sent as Authorization: Bearer",
  PSINV_REMOTE_USER: "with PSINV_REMOTE_PASSWORD: basic authentication to the remote",
  PSINV_REMOTE_PASSWORD: "the password of PSINV_REMOTE_USER",
  PSINV_REMOTE_ALLOW_HTTP: "1: send credentials over plain http:// to another machine",
  PSINV_SIGNING_KEY:
    "this machine's signing key file (default $XDG_CONFIG_HOME/psinv/signing_key.json, else ~/.config/psinv/signing_key.json)",
  CI: "1, true or yes: no live progress line",
} as const satisfies Record<string, string>;
