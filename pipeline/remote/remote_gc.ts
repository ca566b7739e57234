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
import { type Hash, isHash, parseTempName, REMOTE_FOLDERS } from "../core/mod.ts";
import { err, ok, type Result } from "../core/mod.ts";
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
  const doomed: Doomed[] = [];
  const temporaries: Doomed[] = [];
  for (const [folder, objects] of Object.entries(listed)) {
    for (const o of objects) {
      if (parseTempName(o.name) === undefined) continue;
      if (o.modified < start.value - TEMPORARY_AGE_MS) {
        temporaries.push({
          path: `${folder}/${o.name}`,
          size: o.size,
          why: "temporary",
          modified: o.modified,
        });
      }
    }
  }
  type Seen = { o: ListedObject; stage?: string; created?: string; bundle?: Hash };
  const revoked = new Set((remote.trusted.revoked ?? []).map((k) => k.key));
  const read = await readEntries(remote, listed[ac]!);
  if (!read.ok) return read;
  requests += read.value.length;
  const seen = read.value.map(({ object: o, entry: e }): Seen | Doomed => {
    const path = `${ac}/${o.name}`;
    if (e === undefined) return { path, size: o.size, why: "unreadable", modified: o.modified };
    if (revoked.has(e.signer)) {
      return { path, size: o.size, why: "revoked", stage: e.manifest.stage, modified: o.modified };
    }
    return { o, stage: e.manifest.stage, created: e.manifest.created, bundle: e.bundle.hash };
  });
  const valid = seen.filter((s): s is Seen => "o" in s);
  const newest = new Set<string>();
  const byStage = new Map<string, Seen[]>();
  for (const s of valid) byStage.set(s.stage!, [...byStage.get(s.stage!) ?? [], s]);
  for (const list of byStage.values()) {
    list.sort((a, b) => (a.created! < b.created! ? 1 : a.created! > b.created! ? -1 : 0));
    for (const s of list.slice(0, opts.keep)) newest.add(s.o.name);
  }
  const named = new Set<string>();
  let keptEntries = 0;
  for (const s of seen) {
    if (!("o" in s)) {
      if (s.why === "revoked" || old(s)) doomed.push(s);
      else keptEntries++;
      continue;
    }
    if (opts.live.has(s.o.name as Hash) || newest.has(s.o.name) || !old(s.o)) {
      keptEntries++;
      named.add(s.bundle!);
      continue;
    }
    doomed.push({
      path: `${ac}/${s.o.name}`,
      size: s.o.size,
      why: "unneeded",
      stage: s.stage!,
      modified: s.o.modified,
    });
  }
  let keptBundles = 0;
  for (const o of listed[cas]!) {
    if (!isHash(o.name)) continue;
    if (named.has(o.name) || !old(o)) keptBundles++;
    else {doomed.push({
        path: `${cas}/${o.name}`,
        size: o.size,
        why: "orphan",
        modified: o.modified,
      });}
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
      const got = await remote.limit(() =>
        remote.transport.get(`${REMOTE_FOLDERS.entries}/${object.name}`)
      );
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
