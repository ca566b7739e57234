/**
 * What a stage is: the one declaration an experiment writes per step of its pipeline.
 *
 * The engine reads these declarations to build the graph, compute cache keys and run stages;
 * the stage's module knows nothing of caching: it receives its parameters and input folders
 * and writes its declared outputs into the folder it is given.
 *
 * @module
 */

/**
 * Where a declared parameter's value comes from: a dotted path into the parameters document, or
 * a literal value fixed by the declaration itself (e.g. the index of a replicate, or one cell of a
 * sweep). A literal enters the stage's key under its local name, so two stages declaring the same
 * literal values (and the same paths) share a key whatever their ids.
 */
export type ParamBinding = string | { readonly value: unknown };

/**
 * Local name → binding (e.g. `{ lambda: "configs.lam1.lambda", replicate: { value: 2 } }`).
 */
export type ParamSelection = Readonly<Record<string, ParamBinding>>;

/** One node of the pipeline graph. */
export interface StageDecl {
  /** Unique id; a stage declared once per configuration ends with `/<config name>`. */
  readonly id: string;
  /**
   * URL (`file:`) of the module that exports the run function. Its module graph (local modules and
   * resolved npm versions) is the stage's code fingerprint; it is imported in a worker to run.
   */
  readonly module: string;
  /** Name of the run function exported by `module`; `"run"` when omitted. */
  readonly export?: string;
  /** Inputs: local name → id of the stage whose output folder this stage reads. */
  readonly inputs: Readonly<Record<string, string>>;
  /**
   * Stages whose results decided that this stage exists (the declaration read them through
   * `Pipeline.stages`' `known`), e.g. the selection that promoted a trial. Not read and not part
   * of the key, so the same work declared for another reason shares its result; the stage is
   * ordered and selected with them, and `why` follows them back.
   */
  readonly after?: readonly string[];
  /** The parameters this stage reads; only these enter its cache key. */
  readonly params: ParamSelection;
  /** Files (relative paths) the stage must write into its output folder. */
  readonly outputs: readonly string[];
  /** Outputs materialised into `artifacts/`: output file → path relative to `artifacts/`. */
  readonly publish?: Readonly<Record<string, string>>;
  /** Bumped by the author to invalidate cached results without a code change. */
  readonly version?: number;
  /** One line for `dag` and `status`. */
  readonly description?: string;
  /** Time, memory and CPUs it needs (SLURM requests; the time limit also binds locally). */
  readonly resources?: StageResources;
  /**
   * Makes the stage's work extendable: names the parameter that measures how far it goes (more
   * extends less), so that a miss can continue a stored result that went less far instead of
   * starting over (see {@linkcode StageProgressDecl}).
   */
  readonly progress?: StageProgressDecl;
}

/**
 * How a stage's work extends: a result computed to progress p (say, 500 epochs), continued, gives
 * exactly the result computed to p' > p from the start. The engine keeps the stage's state at the
 * end of each run (and at the intermediate values the stage is asked for) as outputs of its
 * result, and on a miss hands the stage the stored state with the largest smaller progress among
 * results whose key differs only in these parameters. The stage must make the continued result
 * identical, byte for byte, to one computed from the start; the engine stores it under its normal
 * key.
 */
export interface StageProgressDecl {
  /** Local name of the parameter (a non-negative number) that measures progress. */
  readonly param: string;
  /**
   * Local name of the parameter (a list of numbers, each below `param`'s value) naming the
   * progress values whose states the stage also keeps, so that shorter runs can start from this
   * result too; absent: only the final state is kept.
   */
  readonly checkpoints?: string;
}

/**
 * A stage id's family: the id up to its first `/`, written `train/*`; an id without `/` is its
 * own family. `dag` draws families, `why`, `compare` and `status --remote` group by them, and the
 * timeline colours its bars by them.
 *
 * @example
 * ```ts
 * import { stageFamily } from "./stage.ts";
 * stageFamily("train/grid/l1-m10-relu/s0-d0"); // "train/*"
 * stageFamily("report"); // "report"
 * ```
 */
export function stageFamily(id: string): string {
  const slash = id.indexOf("/");
  return slash < 0 ? id : `${id.slice(0, slash)}/*`;
}

/** A state a stage with `progress` writes: its progress value and the file to write it to. */
export interface StageCheckpoint {
  /** The progress value the state is taken at. */
  readonly progress: number;
  /** Absolute path of the file, inside the stage's `outDir` (its folder may not exist yet). */
  readonly file: string;
}

/** A stored state a stage with `progress` continues from. */
export interface StageResume {
  /** The progress value the state was taken at (below the stage's own). */
  readonly progress: number;
  /** Absolute path of the state's file, as the stage wrote it (read only). */
  readonly file: string;
  /** Folder of the stored result holding it, with that result's other outputs (read only). */
  readonly dir: string;
}

/**
 * What a stage asks of the machine that runs it, every field optional, in SLURM's notation
 * (parsed and resolved in `resources.ts`). Not part of the stage's key.
 */
export interface StageResources {
  /** Wall-clock limit: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM` or `D-HH:MM:SS`. */
  readonly time?: string;
  /** Memory: a whole number with an optional unit `K`, `M` (default), `G` or `T`. */
  readonly mem?: string;
  /** CPUs (cores) the stage uses. */
  readonly cpus?: number;
}

/** What a stage's run function receives. */
export interface StageContext<P = Record<string, unknown>> {
  /** The declared parameters, by local name. */
  readonly params: P;
  /** Local input name → absolute folder holding that input stage's outputs (read only). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Absolute folder to write the declared outputs into (a private temporary folder). */
  readonly outDir: string;
  /** Reports progress of long work (e.g. epoch i of N); cheap to call often. */
  readonly progress: (done: number, total: number) => void;
  /**
   * Tells the user something about how the stage ran that does not change its result (a faster
   * path unavailable, a fallback taken); shown once per run however many stages say it.
   */
  readonly note?: (message: string) => void;
  /**
   * For a stage that declares `progress`: the states to write, the final one last (at the
   * progress parameter's value) after any intermediate ones the stage was asked to keep.
   */
  readonly checkpoints?: readonly StageCheckpoint[];
  /**
   * For a stage that declares `progress`, when a stored state lets it continue instead of
   * starting over; absent: it starts from the beginning.
   */
  readonly resume?: StageResume;
}

/** A stage's run function: a pure function of its parameters and inputs to files in `outDir`. */
export type StageRun<P = Record<string, unknown>> = (ctx: StageContext<P>) => Promise<void> | void;

/**
 * An expected failure of a stage, with a stable code and a hint for the user; anything else a
 * stage throws is reported as `stage-threw`. An experiment narrows `Code` to the union of its
 * stages' codes (as wireit's `Failure` reasons), so a misspelt code does not compile.
 *
 * @example
 * ```ts
 * import { StageError } from "./stage.ts";
 * const e = new StageError<"stage-diverged">("stage-diverged", "loss is NaN at epoch 12", "lower the learning rate");
 * e.code; // "stage-diverged"
 * ```
 */
export class StageError<Code extends string = string> extends Error {
  /** Stable, kebab-case code, e.g. `stage-diverged`. */
  readonly code: Code;
  /** One line telling the user what to do about it. */
  readonly hint: string;
  /** Builds a stage error from its code, message and hint. */
  constructor(code: Code, message: string, hint: string) {
    super(message);
    this.name = "StageError";
    this.code = code;
    this.hint = hint;
  }
}

/** One problem found in the parameters document. */
export interface ParamIssue {
  /** Dotted path of the offending field (`""` for the whole document). */
  readonly path: string;
  /** What is wrong and what is allowed, one line. */
  readonly message: string;
}

/** What an experiment hands the engine: its parameters file, their schema and its stage graph. */
export interface Pipeline<P = unknown> {
  /** Parameters file, relative to the project root (e.g. `params.json`). */
  readonly paramsFile: string;
  /** Checks a parsed parameters document; returns the typed document or the issues found. */
  readonly validate: (doc: unknown) => { ok: true; value: P } | { ok: false; issues: ParamIssue[] };
  /**
   * The stage graph for validated parameters (stages may be declared once per configuration).
   * A graph that grows as it runs (Snakemake's checkpoints) reads stored results through
   * `known.read(stage, file)`: the text of `file` in `stage`'s current result, or undefined
   * while the stage has none. The engine declares again once such a stage has run, until no
   * read is answered anew; stages still unanswered are the plan's `pending`, and the stages
   * they decide stay undeclared until then. Declarations must be a pure function of the
   * parameters and of what they read. (Spelled out, as `decide` below.)
   */
  readonly stages: (
    params: P,
    known?: { readonly read: (stage: string, file: string) => string | undefined },
  ) => StageDecl[];
  /**
   * File (relative to the project root) listing the public keys whose signed results a remote may
   * serve (see `pipeline/remote/`); without it, nothing from a remote is trusted.
   */
  readonly trustedKeys?: string;
  /**
   * Loads the experiment's comparison (metric deltas, verdicts, figures side by side), which
   * `compare` calls after the stage-level differences; loaded only then, so declaring the graph
   * stays cheap. Without it, `compare` reports stages and changed files only. The hook gets the
   * folders both sides were materialised into (`current`, `variant`, laid out like
   * `artifacts/`), the folder to write its page into (`outDir`, holding both) and the published
   * paths whose content differs (`changed`); it answers with lines for the terminal and the page
   * it wrote, relative to `outDir`. (Spelled out here rather than named: every stage module loads
   * this file, and a new type name would change every stage's key.)
   */
  readonly decide?: {
    /**
     * `reproduce --decide [targets…]`: runs in rounds. Each round runs the stages `reads` names
     * (and what they need); `next`, loaded once, reads their outputs and answers with the
     * `--set` overrides of another round (added to the earlier ones), or null when it has
     * nothing to add; the last round then runs everything. Rounds are ordinary runs with
     * ordinary keys, so a repeated `--decide` replays them from the store. `targets` lists what
     * may be named (e.g. claim ids; none named: all), `noun` what one is called in messages.
     * (Spelled out here rather than named, as `compare` below.)
     */
    readonly noun: string;
    readonly targets: readonly string[];
    readonly reads: readonly string[];
    readonly next: () => Promise<
      (input: {
        readonly read: (stage: string, file: string) => Promise<string>;
        readonly targets: readonly string[];
      }) => Promise<readonly string[] | null>
    >;
  };
  readonly compare?: () => Promise<
    (input: {
      readonly current: string;
      readonly variant: string;
      readonly outDir: string;
      readonly changed: readonly string[];
    }) => Promise<{ readonly lines: readonly string[]; readonly page?: string }>
  >;
}
