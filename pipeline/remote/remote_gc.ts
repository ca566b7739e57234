/**
 * Collecting a remote's garbage: which objects no current stage and none of the newest results
 * of each stage id need, and deleting them so that a reader never meets an entry without its
 * bundle and no concurrent upload is lost.
 *
 * The rules, all read against the remote's own clock (`Transport.now`) at the gc's start S:
 * - **entries** (`ac/`) go first: those whose key is not live, not among the `keep` newest of
 *   their stage id (by the manifest's `created`), and older than S − grace; an entry signed by a
 *   revoked key goes whatever its age, live or not; one that is not a readable, validly signed
 *   entry goes once older than S − grace. Entries of keys this project does not (yet) list are
 *   kept like trusted ones: they may be a colleague's.
 * - **bundles** (`cas/`) then: those no remaining entry names, older than S − grace.
 * - **temporary files** (`.<name>.<pid>.<nonce>.tmp`) a writer killed mid-upload left on a
 *   `file://` share: older than S − one day (their pid may be another machine's).
 * - Each object is looked at again (`HEAD`) just before its `DELETE`: one written since the
 *   listing is spared.
 *
 * Why nothing a concurrent writer uploads is lost: its bundle is written at most a moment before
 * its entry, both after S − grace, so neither is old enough to go; a bundle it shares with an
 * old result is written again by the upload (its time renews); and after its entry the writer
 * checks its bundle is still there and puts it again if a gc took it in between.
 *
 * @module
 */
import {
  err,
  type Hash,
  isHash,
  ok,
  parseTempName,
  REMOTE_FOLDERS,
  remoteBundlePath,
  remoteEntryPath,
  remoteObjectPath,
  type Result,
} from "../core/mod.ts";
import { inspectEntry, type RemoteEntry } from "./entry.ts";
import type { RemoteCache } from "./remote_cache.ts";
import type { ListedObject, TransportError } from "./transport/transport.ts";

/** Temporary files younger than this stay: their writer may still be uploading. */
export const TEMPORARY_AGE_MS = 24 * 3600 * 1000;

/** What gc decides about the remote. */
export interface RemoteGcOptions {
  /** Keys of the current stages: their entries stay. */
  readonly live: ReadonlySet<Hash>;
  /** Also keep the newest this-many entries of each stage id. */
  readonly keep: number;
  /** Objects younger than this (ms before the gc's start) stay, whatever else holds. */
  readonly graceMs: number;
}

/** One object gc would delete. */
export interface Doomed {
  /** Its path on the remote (`ac/<key>`, `cas/<hash>`, …). */
  readonly path: string;
  readonly size: number;
  /** Why it goes: `unneeded`, `revoked` (its signer), `unreadable` (not a valid entry), `orphan` (a bundle no entry names), `temporary`. */
  readonly why: "unneeded" | "revoked" | "unreadable" | "orphan" | "temporary";
  /** The stage id an entry was for, when known. */
  readonly stage?: string;
  /** Its listing time, to spare it if it changed by the time it is deleted. */
  readonly modified: number;
}

/** What gc found on the remote. */
export interface RemoteGcPlan {
  /** The remote's clock at the start (ms). */
  readonly start: number;
  /** Entries first, then bundles, then temporary files. */
  readonly doomed: readonly Doomed[];
  /** Entries and bundles that stay. */
  readonly kept: { readonly entries: number; readonly bundles: number };
  /** Requests the listing took. */
  readonly requests: number;
}

/**
 * Lists the remote and decides what goes (see the module's rules); deletes nothing.
 *
 * @example
 * ```ts ignore
 * const plan = await planRemoteGc(remote, { live, keep: 0, graceMs: 3600_000 });
 * ```
 */
export async function planRemoteGc(
  remote: RemoteCache,
  opts: RemoteGcOptions,
): Promise<Result<RemoteGcPlan, TransportError>> {
  const t = remote.transport;
  const start = await t.now();
  if (!start.ok) return start;
  const old = (o: { modified: number }) => o.modified < start.value - opts.graceMs;
  const { entries: ac, bundles: cas, stages } = REMOTE_FOLDERS;
  const listed: Record<string, ListedObject[]> = {};
  for (const folder of [ac, cas, stages]) {
    const l = await remote.limit(() => t.list(folder));
    if (!l.ok) return l;
    listed[folder] = l.value;
  }
  let requests = 3 + 1;
  const temporaries: Doomed[] = [];
  for (const folder of [ac, cas, stages]) {
    for (const o of listed[folder]!) {
      if (parseTempName(o.name) === undefined) continue;
      if (o.modified >= start.value - TEMPORARY_AGE_MS) continue;
      const path = remoteObjectPath(folder, o.name);
      temporaries.push({ path, size: o.size, why: "temporary", modified: o.modified });
    }
  }

  const read = await readEntries(remote, listed[ac]!);
  if (!read.ok) return read;
  requests += read.value.length;
  const revoked = new Set((remote.trusted.revoked ?? []).map((k) => k.key));
  const doomed: Doomed[] = [];
  const valid: { object: ListedObject; entry: RemoteEntry }[] = [];
  for (const { object: o, entry } of read.value) {
    const gone = { path: remoteEntryPath(o.name), size: o.size, modified: o.modified };
    if (entry === undefined) {
      if (old(o)) doomed.push({ ...gone, why: "unreadable" });
    } else if (revoked.has(entry.signer)) {
      doomed.push({ ...gone, why: "revoked", stage: entry.manifest.stage });
    } else {
      valid.push({ object: o, entry });
    }
  }
  // The K newest of each stage id, by when their results were made.
  const newest = new Set<string>();
  const byStage = Map.groupBy(valid, (v) => v.entry.manifest.stage);
  for (const list of byStage.values()) {
    // ISO 8601 times in UTC sort as text; newest first.
    const created = (v: (typeof list)[number]) => v.entry.manifest.created;
    list.sort((x, y) => (created(x) < created(y) ? 1 : created(x) > created(y) ? -1 : 0));
    for (const v of list.slice(0, opts.keep)) newest.add(v.object.name);
  }
  const named = new Set<string>();
  for (const { object: o, entry } of valid) {
    if (opts.live.has(entry.key) || newest.has(o.name) || !old(o)) {
      named.add(entry.bundle.hash);
    } else {
      doomed.push({
        path: remoteEntryPath(o.name),
        size: o.size,
        why: "unneeded",
        stage: entry.manifest.stage,
        modified: o.modified,
      });
    }
  }
  const keptEntries = read.value.length - doomed.length;
  let keptBundles = 0;
  for (const o of listed[cas]!) {
    if (!isHash(o.name)) continue;
    if (named.has(o.name) || !old(o)) {
      keptBundles++;
    } else {
      const path = remoteBundlePath(o.name);
      doomed.push({ path, size: o.size, why: "orphan", modified: o.modified });
    }
  }
  return ok({
    start: start.value,
    doomed: [...doomed, ...temporaries],
    kept: { entries: keptEntries, bundles: keptBundles },
    requests,
  });
}

/**
 * Each listed entry (`ac/<key>`) with its content when it is a readable, validly signed entry
 * (trusted or not); one `GET` each, at most 8 in flight. The remote failing on any is an error:
 * an entry that could not be read is not known to be garbage.
 *
 * @example
 * ```ts ignore
 * const listed = await remote.transport.list("ac");
 * const read = listed.ok ? await readEntries(remote, listed.value) : undefined;
 * ```
 */
export async function readEntries(
  remote: RemoteCache,
  objects: readonly ListedObject[],
): Promise<Result<{ object: ListedObject; entry?: RemoteEntry }[], TransportError>> {
  const read = await Promise.all(
    objects.filter((o) => isHash(o.name)).map(async (object) => {
      const got = await remote.limit(() => remote.transport.get(remoteEntryPath(object.name)));
      if (!got.ok) return got;
      if (got.value === undefined) return ok({ object });
      const entry = await inspectEntry(got.value, object.name as Hash);
      return ok(entry.ok ? { object, entry: entry.value } : { object });
    }),
  );
  // An entry that could not be fetched is not known to be garbage: stop rather than guess.
  const failed = read.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) return failed;
  return ok(read.flatMap((r) => (r.ok ? [r.value] : [])));
}

/** What a gc deleted. */
export interface RemoteGcDone {
  readonly deleted: readonly Doomed[];
  /** Objects spared because they changed after the listing (a concurrent upload). */
  readonly spared: number;
}

/**
 * Deletes what the plan dooms, in its order (entries, then bundles, then temporary files),
 * each after a `HEAD` shows it unchanged since the listing. The first failure stops it: what
 * was deleted stays deleted, and every entry left still has its bundle.
 *
 * @example
 * ```ts ignore
 * const done = await runRemoteGc(remote, plan.value);
 * ```
 */
export async function runRemoteGc(
  remote: RemoteCache,
  plan: RemoteGcPlan,
): Promise<Result<RemoteGcDone, TransportError>> {
  const t = remote.transport;
  const deleted: Doomed[] = [];
  let spared = 0;
  const remove = (d: Doomed) =>
    remote.limit(async (): Promise<Result<boolean, TransportError>> => {
      const now = await t.head(d.path);
      if (!now.ok) return now;
      if (now.value === undefined) return ok(false);
      if (now.value.modified !== d.modified && d.why !== "revoked") {
        spared++;
        return ok(false);
      }
      const gone = await t.delete(d.path);
      if (!gone.ok) return gone;
      if (gone.value) deleted.push(d);
      return ok(gone.value);
    });
  // Entries strictly before bundles: a bundle goes only once no entry can name it.
  for (const phase of [["unneeded", "revoked", "unreadable"], ["orphan"], ["temporary"]]) {
    const doomed = plan.doomed.filter((d) => phase.includes(d.why));
    // The first alone: a server that refuses DELETE says so once, not once per object.
    const first = doomed.length > 0 ? await remove(doomed[0]!) : ok(false);
    if (!first.ok) return first;
    const results = await Promise.all(doomed.slice(1).map(remove));
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) return err(failed.error);
  }
  return ok({ deleted, spared });
}
