/**
 * The help text of the command line: every command with its options.
 *
 * @module
 */

/** The one-paragraph help text. */
export const USAGE = `Usage: <task> <command> [options]

Commands:
  reproduce [stage-ids…]  run the named stages (and what they need), or all; reuse cached results
      --force             execute the named stages (all when none named) even if cached
  reproduce --decide [targets…]
                          run in rounds: after each, the experiment may add runs (claims: more
                          seeds for each claim still undecided, until decided or at
                          statistics.decide.maxSeeds); targets: claim ids, all when none named
      --jobs N            run at most N stages at once (default: number of cores; SLURM:
                          N jobs pending or running, default 100)
      --keep-going        finish independent stages after a failure (always on)
      --executor E        local (default) or slurm                        [PSINV_EXECUTOR]
      --time T            time limit of every stage (SLURM format, e.g. 30, 2:00:00, 1-00);
                          a local stage past it is stopped as stage-timeout  [PSINV_TIME]
      --mem M, --cpus N   memory (e.g. 4G) and CPUs of every SLURM job    [PSINV_MEM, PSINV_CPUS]
      --resource S:F=V    one stage's (glob: train/*) time, mem or cpus, over the above
      --partition P       SLURM partition                                 [PSINV_PARTITION]
      --account A         SLURM account                                   [PSINV_ACCOUNT]
      --batch B           stages per SLURM job (e.g. 20; 1: one stage per job) or seconds of
                          work per job (e.g. 30s, 2m; default 2m)         [PSINV_BATCH]
      --deno CMD          how compute nodes start Deno (default: this deno) [PSINV_DENO]
      --remote URL        also fetch results from, and upload executed ones to, a remote:
                          https://…, http://… or file:///…                  [PSINV_REMOTE]
  status [stage-ids…]     say which stages are fresh, stale or missing, and why; store size
      --remote URL        also ask the remote which stages not fresh here it holds, per family
                          and reason (one request per stage not here)      [PSINV_REMOTE]
  compare [--params F] [--set …] [--jobs N]
                          compare the current parameters with a variant (F, then the --sets):
                          which stages' keys differ and why, metric deltas, verdicts, figures;
                          computes only what the store lacks; writes artifacts/compare/index.html
  dag [--all]             print the graph of stage families (train/* as one node with its
                          count) and draw it into artifacts/dag.svg; --all: every stage
  why <artifact> [--all]  how a file of artifacts/ was made: its stage, key, parameters, inputs,
                          code, executor, host and times, back to the sources; --all lists
                          every upstream stage
  gc [--keep K]           drop stored results not needed by the current parameters, keeping the
                          K newest of each stage (default 3); report bytes freed
      --remote URL        collect the remote instead (only this flag names it): delete entries
                          no current stage and none of the K newest per stage need, then the
                          bundles no entry names, and file:// temporaries older than a day
      --grace D           spare what is younger than D before the gc's start, by the remote's
                          clock (e.g. 0, 30s, 10m; default 1h)
      --dry-run           list what would go and its size; delete nothing
  accept <stage-ids…>     re-key the latest results of stages whose only change is their code
                          (cosmetic edits such as renaming a local), without rerunning them;
                          ids may be patterns: 'evaluate/*' (* and ? stop at "/")
  verify                  re-hash every stored result; exit 1 if any is damaged
  verify --remote URL [--sample N] [--seed S] [stage-ids…]
                          re-run N (default 5) random stages whose results came from the
                          remote and compare bytes; a mismatch names its signer, is set aside
                          here and replaced; the seed is printed      [PSINV_REMOTE]
  push [stage-ids…]       upload the current results of the stages (and what they need), signed
      --remote URL        the remote (credentials from the environment)     [PSINV_REMOTE]
  pull [stage-ids…]       download and verify the current results of the stages, running none
      --remote URL        the remote                                        [PSINV_REMOTE]
      --verify            also check the remote's entries of results already here
  trust [key] [--name N]  trust a public key's results (default: this machine's own key)
  trust --revoke KEY [--remote URL]
                          stop trusting a key; with a remote, list its entries, which
                          gc --remote then deletes

Options for every command:
  --set path=value        override a parameter (value parsed as JSON, else taken as a string)
  --json                  print events as JSON lines`;
