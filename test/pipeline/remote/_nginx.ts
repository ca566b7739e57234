/**
 * A real remote for the tests: Debian's nginx with its WebDAV module taking `PUT` and `DELETE`
 * and listing folders as JSON (for `gc --remote`), started on a
 * free loopback port with everything (config, objects, logs, temporary bodies) in a temporary
 * folder, and stopped after. One process (`master_process off`), so killing it stops the server
 * at once, as a crash would. Tests skip, saying why, when nginx is not installed, unless `CI` is
 * set (`.ci/run` installs it).
 *
 * @module
 */

/** Where nginx is, if installed. */
export const NGINX = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});

const ci = /^(1|true|yes)$/i.test(Deno.env.get("CI") ?? "");

/** Whether tests needing nginx are skipped (it is missing and this is not CI). */
export const skipNginx = NGINX === undefined && !ci;
if (skipNginx) {
  console.warn(
    "nginx tests skipped: nginx is not installed (apt-get install nginx); under CI=true they run",
  );
}

/** How the server behaves. */
export interface NginxOptions {
  /** Require `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Require basic auth with this user and password. */
  readonly basic?: { readonly user: string; readonly password: string };
  /** Answer every `PUT` under `/ac/` with 500, as nginx does when its disk is full. */
  readonly failEntryPuts?: boolean;
  /** Take `PUT` only, as nginx configured before `gc --remote` (`DELETE` gets 405). */
  readonly noDelete?: boolean;
}

/** A running (or stopped) test server. */
export interface Nginx {
  /** `http://127.0.0.1:<port>/cache`. */
  readonly url: string;
  /** The folder the objects are stored in (`<data>/cache/ac/…`, `<data>/cache/cas/…`). */
  readonly data: string;
  /** Kills the server (SIGKILL) and waits for it to be gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder, with new options. */
  restart(opts?: NginxOptions): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * Starts nginx on a free loopback port.
 *
 * @example
 * ```ts ignore
 * const server = await startNginx();
 * try { … server.url … } finally { await server.dispose(); }
 * ```
 */
export async function startNginx(opts: NginxOptions = {}): Promise<Nginx> {
  if (NGINX === undefined) throw new Error("nginx is not installed (apt-get install nginx)");
  const dir = await Deno.makeTempDir({ prefix: "psinv-nginx-" });
  const data = `${dir}/data`;
  await Deno.mkdir(`${data}/cache`, { recursive: true });
  const port = freePort();
  let child: Deno.ChildProcess | undefined;

  const start = async (o: NginxOptions) => {
    const conf = `${dir}/nginx.conf`;
    await Deno.writeTextFile(conf, config(dir, port, o));
    if (o.basic) {
      // nginx reads {PLAIN} passwords: no htpasswd tool needed.
      await Deno.writeTextFile(`${dir}/htpasswd`, `${o.basic.user}:{PLAIN}${o.basic.password}\n`);
    }
    child = new Deno.Command(NGINX!, {
      args: ["-c", conf, "-p", `${dir}/`, "-e", `${dir}/error.log`],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return;
      } catch {
        if (Date.now() > until) {
          child.kill("SIGKILL");
          const { stderr } = await child.output();
          throw new Error(`nginx did not start: ${new TextDecoder().decode(stderr)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const stop = async () => {
    if (child === undefined) return;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await child.stderr.cancel();
    await child.status;
    child = undefined;
  };
  await start(opts);
  return {
    url: `http://127.0.0.1:${port}/cache`,
    data: `${data}/cache`,
    stop,
    async restart(o = {}) {
      await stop();
      await start(o);
    },
    async dispose() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function config(dir: string, port: number, o: NginxOptions): string {
  const auth = o.token
    ? `if ($http_authorization != "Bearer ${o.token}") { return 401; }`
    : o.basic
    ? `auth_basic "psinv"; auth_basic_user_file ${dir}/htpasswd;`
    : "";
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  log_not_found off;
  # Request bodies land here and are renamed into place: same file system as the root.
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/data;
    client_max_body_size 0;
    dav_methods ${o.noDelete ? "PUT" : "PUT DELETE"};
    create_full_put_path on;
    autoindex on;
    autoindex_format json;
    dav_access user:rw group:r all:r;
    location / { ${auth} }
    location /cache/ac/ {
      ${auth}
      ${o.failEntryPuts ? "if ($request_method = PUT) { return 500; }" : ""}
    }
  }
}
`;
}
