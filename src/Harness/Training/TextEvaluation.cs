using Harness.Data;
using Harness.Models;
using Harness.Strategies;

namespace Harness.Training;

/// <summary>
/// Scores a text domain: exact match (and token accuracy) on its recall test pairs and on its held-out pairs, each
/// question answered through the routing plugin's choice of adapter when a plugin routes.
/// </summary>
internal sealed class TextEvaluation(Evaluator evaluator, IReadOnlyList<DomainData> domains, IReadOnlyList<IStrategyPlugin> plugins)
    : IDomainEvaluation
{
    /// <inheritdoc />
    public DomainEvaluation Score(ContinualModel model, int domain)
    {
        var gpt = (GptModel)model;
        var data = domains[domain];
        var routes = Route(data.Test, domain);
        var score = evaluator.Score(gpt, data.Test, domain, data.Id, routes, plugins.Activate);
        double routing = routes is null ? double.NaN : routes.Count(r => r == domain) / (double)routes.Length;
        double heldout = data.Heldout.Count > 0
            ? evaluator.Score(gpt, data.Heldout, domain, data.Id, Route(data.Heldout, domain), plugins.Activate).ExactMatch
            : double.NaN;
        return new DomainEvaluation(score.ExactMatch, score.TokenAccuracy, heldout, routing);
    }

    /// <summary>The routing plugin's choice for each question (every row is evaluated through it), or null.</summary>
    private int[]? Route(IReadOnlyList<QaPair> pairs, int domain) => plugins.Route(pairs.Select(p => p.Prompt).ToList(), domain);
}
