/**
 * Runs a selection of the graph: each stage, once its inputs are done, gets its key; a stored
 * result is reused, else one from the remote (when there is one), otherwise the stage executes
 * on the executor (at most `jobs` at once) and its result enters the store only if it finished
 * without error (and then goes to the remote). A stage with progress that misses continues the
 * stored state of its lineage that went furthest short of it, when there is one (`progress.ts`).
 * A failed stage makes its dependants `skipped`; independent stages still run (keep-going). Once the run's signal is aborted, stages stopped or
 * not yet started end `interrupted`, and so do their dependants.
 *
 * @module
 */
import { type CodeFingerprint, lineageKey, stageKey } from "../key/mod.ts";
import {
  type Emit,
  entriesDir,
  type Failure,
  type Hash,
  type RanOn,
  renderFailure,
  semaphore,
  type StageDecl,
  type StageOutcomeStatus,
} from "../core/mod.ts";
import { type Manifest, type Resumed, type Store, StoreIoError } from "../store/mod.ts";
import type { RemoteCache } from "../remote/mod.ts";
import { fingerprintOf, type Plan } from "./plan.ts";
import type { Executor } from "./executor.ts";
import { findResumePoint, type ResumePoint, stateFiles } from "./progress.ts";
import { remoteSession } from "./remote_session.ts";

/** How one stage ended. */
export interface StageOutcome {
  readonly id: string;
  readonly status: StageOutcomeStatus;
  /** The stage key (absent when it could not be computed: skipped, or failed before). */
  readonly key?: Hash;
  /** Seconds of work (0 when cached or skipped). */
  readonly seconds: number;
  /** When the stage began executing, or was looked up (ms since the epoch). */
  readonly started: number;
  /** When it ended (ms since the epoch). */
  readonly finished: number;
  /** The stored result (executed or cached). */
  readonly manifest?: Manifest;
  /** Folder of the stored outputs (executed or cached). */
  readonly dir?: string;
  readonly failure?: Failure;
  /** A cached result that came from the remote in this run. */
  readonly downloaded?: boolean;
  /** An executed stage with progress that continued a stored state instead of starting over. */
  readonly resumed?: Resumed;
  /**
   * Where and when the stage ran on the executor (executed, or failed or interrupted once it had
   * started): its lane, and its work there (ms since the epoch), storing the result left out.
   */
  readonly execution?: StageExecution;
}

/** A stage's time on one lane of the executor (`StageLane`, its times resolved). */
export interface StageExecution {
  readonly lane: string;
  readonly started: number;
  readonly finished: number;
}

/** Options of {@linkcode schedule}. */
export interface ScheduleOptions {
  readonly plan: Plan;
  /** Stage ids to run, in topological order, closed under inputs. */
  readonly ids: readonly string[];
  /** Module URL → code fingerprint, for every module of `ids`. */
  readonly code: ReadonlyMap<string, CodeFingerprint>;
  readonly store: Store;
  /** At most this many stages execute at once. */
  readonly jobs: number;
  /** Stage ids executed even when a result is stored. */
  readonly force: ReadonlySet<string>;
  readonly emit: Emit;
  /** The clock (ms since the epoch). */
  readonly now: () => number;
  /** Where a stage executes (the local worker executor, or a cluster's). */
  readonly executor: Executor;
  /**
   * The executor's name and this machine, recorded with each result for its provenance (the
   * executor may name another host, such as a cluster's node).
   */
  readonly ranOn?: RanOn;
  /** Aborted when the run is interrupted: running stages stop, no new one starts. */
  readonly signal?: AbortSignal;
  /** The signal's name for messages and events (`SIGINT`, `SIGTERM`, `SIGHUP`). */
  readonly interruptedBy?: () => string;
  /** Asked after a local miss, and sent what executes. */
  readonly remote?: RemoteCache;
}

/**
 * Runs the selected stages and returns how each ended, in the order of `ids`.
 */
export async function schedule(opts: ScheduleOptions): Promise<StageOutcome[]> {
  const { plan, store, emit, now } = opts;
  const slots = semaphore(opts.jobs);
  const outcomes = new Map<string, Promise<StageOutcome>>();
  // Key → settles when the first stage of this run with that key has ended. A graph can declare
  // one computation under two ids (a sweep's grid repeating a configuration): it executes once,
  // and the later stage then finds its result in the store.
  const claimed = new Map<Hash, Promise<void>>();
  const remote = opts.remote ? remoteSession(opts.remote, store, emit) : undefined;

  const runOne = async (decl: StageDecl): Promise<StageOutcome> => {
    const ups = await Promise.all(
      Object.entries(decl.inputs).map(async ([name, from]) =>
        [name, await outcomes.get(from)!] as const
      ),
    );
    const lookedUp = now();
    // Told by the executor; the bar ends when the executor is done with the stage.
    let lane: { lane: string; started: number; finished?: number | undefined } | undefined;
    let ranUntil: number | undefined;
    const execution = (): { execution?: StageExecution } =>
      lane === undefined ? {} : {
        execution: {
          lane: lane.lane,
          started: lane.started,
          finished: lane.finished ?? ranUntil ?? now(),
        },
      };
    const interrupted = (key: Hash | undefined, started: number): StageOutcome => {
      const signal = opts.interruptedBy?.() ?? "interrupted";
      emit({ kind: "stage-interrupted", stage: decl.id, signal });
      const finished = now();
      return {
        id: decl.id,
        status: "interrupted",
        ...(key === undefined ? {} : { key }),
        seconds: (finished - started) / 1000,
        started,
        finished,
        failure: { reason: "stage-cancelled", stage: decl.id, signal },
        ...execution(),
      };
    };
    const failedUp = ups.find(([, o]) => o.status === "failed" || o.status === "skipped");
    if (failedUp) {
      const failure = {
        reason: "dependency-failed",
        stage: decl.id,
        dependency: failedUp[1].id,
      } as const;
      emit({ kind: "stage-skipped", stage: decl.id, failure });
      return {
        id: decl.id,
        status: "skipped",
        seconds: 0,
        started: lookedUp,
        finished: now(),
        failure,
      };
    }
    if (ups.some(([, o]) => o.status === "interrupted")) return interrupted(undefined, lookedUp);
    const inputs: Record<string, Hash> = {};
    const inputDirs: Record<string, string> = {};
    for (const [name, o] of ups) {
      inputs[name] = o.manifest!.content;
      inputDirs[name] = o.dir!;
    }
    const code = opts.code.get(decl.module)!;
    const params = plan.params.get(decl.id)!;
    const fingerprint = fingerprintOf(decl, params, inputs, code.hash);
    const key = await stageKey(fingerprint);
    const progress = plan.progress.get(decl.id);
    const lineage = progress ? await lineageKey(fingerprint, progress.params) : undefined;
    // A result of a stage with progress, however it was had, can be continued by a later miss.
    const remember = async (): Promise<void> => {
      if (progress && lineage) await store.recordStates(lineage, key, progress.states);
    };
    const fail = (failure: Failure, started: number): StageOutcome => {
      emit({
        kind: "stage-failed",
        stage: decl.id,
        failure,
        message: renderFailure(failure).message,
      });
      const finished = now();
      return {
        id: decl.id,
        status: "failed",
        key,
        seconds: (finished - started) / 1000,
        started,
        finished,
        failure,
        ...execution(),
      };
    };

    const earlier = claimed.get(key);
    let ended = (): void => {};
    if (earlier) await earlier;
    else claimed.set(key, new Promise((resolve) => (ended = resolve)));
    try {
      let why: "missing" | "forced" | "damaged" = "missing";
      if (opts.force.has(decl.id)) {
        why = "forced";
      } else {
        const cached = (
          found: { readonly manifest: Manifest; readonly dir: string },
          downloaded: boolean,
        ): StageOutcome => ({
          id: decl.id,
          status: "cached",
          key,
          seconds: 0,
          started: lookedUp,
          finished: now(),
          manifest: found.manifest,
          dir: found.dir,
          ...(downloaded ? { downloaded } : {}),
        });
        const found = await store.get(key);
        if (found.kind === "hit") {
          await store.record(decl.id, key);
          await remember();
          emit({ kind: "stage-cached", stage: decl.id, key });
          return cached(found, false);
        }
        if (found.kind === "corrupt") {
          emit({ kind: "store-damaged", stage: decl.id, key, detail: found.detail });
          why = "damaged";
        }
        const fetched = remote ? await remote.fetch({ decl, key, fingerprint, code }) : undefined;
        if (fetched && !fetched.ok) return fail(fetched.error, lookedUp);
        if (fetched?.value) {
          await remember();
          return cached(fetched.value, true);
        }
      }
      // A forced run starts over; otherwise a stage with progress continues what it can.
      const resume: ResumePoint | undefined = progress && lineage && why !== "forced"
        ? await findResumePoint(
          store,
          lineage,
          progress,
          (damaged, detail) =>
            emit({ kind: "store-damaged", stage: decl.id, key: damaged, detail }),
        )
        : undefined;
      const resumed: Resumed | undefined = resume
        ? { key: resume.key, progress: resume.progress }
        : undefined;
      const from = resumed && progress ? { resumed: { ...resumed, param: progress.path } } : {};

      const release = await slots.acquire();
      const started = now();
      try {
        if (opts.signal?.aborted) return interrupted(key, started);
        const outDir = await store.scratch();
        emit({
          kind: "stage-start",
          stage: decl.id,
          key,
          why,
          ...from,
        });
        const ran = await opts.executor.run({
          decl,
          params: params.byName,
          inputs: inputDirs,
          outDir,
          ...(progress ? { checkpoints: stateFiles(progress, outDir) } : {}),
          ...(resume
            ? { resume: { progress: resume.progress, file: resume.file, dir: resume.dir } }
            : {}),
          onProgress: (done, total) =>
            emit({ kind: "stage-progress", stage: decl.id, done, total }),
          onNote: (message) => emit({ kind: "stage-note", stage: decl.id, message }),
          onLane: (
            told,
          ) => (lane = {
            lane: told.lane,
            started: told.started ?? now(),
            finished: told.finished,
          }),
          ...(opts.signal ? { signal: opts.signal } : {}),
          previousSeconds: () => store.latest(decl.id).then((m) => m?.seconds, () => undefined),
        });
        ranUntil = now();
        if (!ran.ok) {
          await store.discard(outDir);
          if (opts.signal?.aborted) return interrupted(key, started);
          const e = ran.error;
          return fail(
            "reason" in e ? e : { reason: "stage-failed", stage: decl.id, ...e },
            started,
          );
        }
        // The executor's own measure when it has one (a cluster's excludes queueing), and where it
        // ran when it knows better (a cluster's node and job).
        const { seconds: measured, ...where } = ran.value;
        const seconds = measured ?? (now() - started) / 1000;
        const put = await store.put({
          stage: decl.id,
          fingerprint,
          key,
          dir: outDir,
          outputs: decl.outputs,
          seconds,
          created: new Date(started).toISOString(),
          code,
          ...(opts.ranOn ? { ran: { ...opts.ranOn, ...where } } : {}),
          ...(resumed ? { resumed } : {}),
        });
        if (!put.ok) return fail(put.error, started);
        await remember();
        const stored = await store.get(key);
        if (stored.kind !== "hit") {
          return fail({
            reason: "io-failed",
            path: entriesDir(store.dir),
            detail: `the result just stored for "${decl.id}" cannot be read back`,
            hint: "check the disk holding the .psinv folder",
          }, started);
        }
        const finished = now();
        const took = measured ?? (finished - started) / 1000;
        const ranOn = execution();
        emit({
          kind: "stage-executed",
          stage: decl.id,
          key,
          seconds: took,
          ...from,
          ...(ranOn.execution ? { lane: ranOn.execution.lane } : {}),
        });
        remote?.upload(decl.id, { manifest: stored.manifest, dir: stored.dir });
        return {
          id: decl.id,
          status: "executed",
          key,
          seconds: took,
          started,
          finished,
          manifest: stored.manifest,
          dir: stored.dir,
          ...(resumed ? { resumed } : {}),
          ...ranOn,
        };
      } finally {
        release();
      }
    } catch (e) {
      if (e instanceof StoreIoError) return fail(e.failure, lookedUp);
      throw e;
    } finally {
      ended();
    }
  };

  for (const id of opts.ids) outcomes.set(id, runOne(plan.graph.byId.get(id)!));
  const done = await Promise.all(opts.ids.map((id) => outcomes.get(id)!));
  await remote?.settle();
  return done;
}
