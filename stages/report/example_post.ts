/**
 * The example post: the blog post's argument retold with live numbers (`post_refs.ts` documents
 * the references). It is a module rather than a `.md` file so that its text is part of the `post`
 * stage's code, and so of its key: editing a word re-renders the post, nothing else.
 *
 * @module
 */

/** The example post, Markdown with references. */
export const EXAMPLE_POST = `# Pseudo-invertible networks, reproduced

Two small networks, f and g, map the real line to itself. We want f to fit the data, g to fit
the data read backwards, and each to undo the other: g(f(x)) ≈ x and f(g(y)) ≈ y. The loss says
so term by term: the fit errors mean|f(x) − y|² and mean|g(y) − x|², plus μ times the cycle error
mean|y − f(g(y))|² and λ times mean|x − g(f(x))|². λ and μ set the price of invertibility.

![The point cloud](psinv:figures/data.svg)

The data are {{params.data.n}} points of y = h1(h2(x) + ε), with h1 and h2 random monotone
splines. Each network has hidden layers of widths {{params.training.layers}} and is trained with
Adam (learning rate {{params.training.learningRate}}) for {{params.training.epochs}} epochs. Every
configuration is trained over {{claims.seeds}} seeds on each of {{claims.draws}} data draws, each
run from its own initialisation, and the rows a claim compares get at least
{{params.statistics.minRuns}} paired runs, so that every claim below comes with a confidence
interval rather than a single run. Each interval is one look of a plan that may add runs to a
claim still undecided, taken at {{claims.fit-rises.level}} so that all the looks together keep
95 %.

## Equal priority

With λ = {{params.configs.lam1.lambda}} and μ = {{params.configs.lam1.mu}}, the post's run reaches
a fit error of {{metrics.lam1.fit_mse_f}} for f and {{metrics.lam1.fit_mse_g}} for g, while
g ∘ f misses the identity by only {{metrics.lam1.inv_mse_x}} on the data. Off the data the
pair is on its own: there the same error is {{metrics.lam1.inv_mse_x_margin}}.

![Fits at equal priority](psinv:figures/lam1/fit.svg)
![Compositions at equal priority](psinv:figures/lam1/inversion.svg)

## Trading fit for invertibility

Lowering the weights to λ = μ = {{params.configs.lam0p01.lambda}} buys fit: the mean fit error
over replicates is {{stats.lam0p01.fit.mean}} (interval {{stats.lam0p01.fit.ci}}), against
{{stats.lam100.fit.mean}} at λ = μ = {{params.configs.lam100.lambda}}. Invertibility moves the
other way: the mean inversion error goes from {{stats.lam0p01.inv.mean}} to
{{stats.lam100.inv.mean}}.

- "{{claims.fit-rises.claim}}": **{{claims.fit-rises.verdict}}** (Spearman ρ
  {{claims.fit-rises.estimate}}, interval {{claims.fit-rises.ci}}).
- "{{claims.inversion-falls.claim}}": **{{claims.inversion-falls.verdict}}** (ρ
  {{claims.inversion-falls.estimate}}, interval {{claims.inversion-falls.ci}}).

![Fit against inversion error](psinv:figures/tradeoff.svg)

At the invertible end the runs split in two. In {{claims.nearly-linear.flips}} at
λ = μ = {{params.configs.lam100.lambda}}, f and g came out inverse to each other but sloping
against the data, which the cycle terms cannot tell from the right answer; over the whole
experiment, {{claims.flipped}} of {{claims.runs}} runs did. A mean over both kinds describes no
run, so the claims about the fits there speak of the typical run, one that did not flip. The post
saw almost straight lines: "{{claims.nearly-linear.claim}}" is
**{{claims.nearly-linear.verdict}}** for the typical run (the smaller R² minus the threshold is
{{claims.nearly-linear.estimate}}, interval {{claims.nearly-linear.ci}}, over
{{claims.nearly-linear.n}} runs). The post also wrote that the fits there do not even capture the
linear trend. A flipped run misses it by construction, so that happens as often as runs flip; for
the typical run, "{{claims.misses-trend.claim}}" is **{{claims.misses-trend.verdict}}**: f's
slope over the data's, minus 1, is {{claims.misses-trend.estimate}} (interval
{{claims.misses-trend.ci}}, {{claims.misses-trend.n}} runs). The median fit error,
{{stats.lam100.fit.median}}, is a better picture of a typical run than the mean,
{{stats.lam100.fit.mean}}.

![The λ × μ grid, mean and median](psinv:figures/grid/heatmap-relu.svg)

## Without the constraint

Dropping the cycle terms altogether, the unconstrained pair has a mean fit error of
{{stats.free-relu.fit.mean}}. That it fits best of all is
**{{claims.unconstrained-fits-best.verdict}}**: its fit error minus that of λ = μ = 0.01 is
{{claims.unconstrained-fits-best.estimate}} (interval {{claims.unconstrained-fits-best.ci}}).
Swapping ReLU for SiLU, the post's last step, gives {{stats.free-silu.fit.mean}}; that SiLU fits
better is **{{claims.silu-fits-better.verdict}}** (difference
{{claims.silu-fits-better.estimate}}, interval {{claims.silu-fits-better.ci}}).

![Unconstrained SiLU fits](psinv:figures/free-silu/fit.svg)

## Searching the front instead of gridding it

The grid spends as much training on dominated corners as on the trade-off itself. A successive
halving search over λ and μ, both on a log scale from {{params.searches.front.space.lambda.log}},
starts {{params.searches.front.trials}} trials drawn from a Halton sequence, trains them
{{params.searches.front.rungs}} epochs rung by rung, and at each rung keeps the best
1/{{params.searches.front.eta}} by non-dominated sorting, each kept trial continuing from where it
stopped. "{{claims.search-front.claim}}" is **{{claims.search-front.verdict}}**: the difference of
the two fronts' hypervolumes is {{claims.search-front.estimate}} over
{{claims.search-front.n}} paired replicates (interval {{claims.search-front.ci}}).

![The search's front against the grid's](psinv:figures/search/front.svg)

The post ends on "Our model seems too simple". "{{claims.too-simple.claim}}" is
**{{claims.too-simple.verdict}}**: the larger network's fit error minus the post's is
{{claims.too-simple.estimate}} (interval {{claims.too-simple.ci}}, {{claims.too-simple.n}} paired
runs).

Every number here is read from this reproduction's results when the post is rendered: change a
parameter, rerun, and the text follows.
`;
