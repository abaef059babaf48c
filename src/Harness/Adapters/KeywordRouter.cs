namespace Harness.Adapters;

/// <summary>
/// Routes by the curriculum's keyword lists: the domain with the most distinct keywords contained in the question
/// (case-insensitive), the earlier domain on a tie; with no match, <c>default_domain</c>, else the base model.
/// </summary>
internal sealed class KeywordRouter(IReadOnlyList<IReadOnlyList<string>> keywords, int defaultDomain) : IAdapterRouter
{
    /// <inheritdoc />
    public int[] Route(IReadOnlyList<string> questions, int knownDomain, IReadOnlyCollection<int> trained) =>
        questions.Select(q => RouteOne(q, trained)).ToArray();

    private int RouteOne(string question, IReadOnlyCollection<int> trained)
    {
        int best = -1, bestHits = 0;
        for (int d = 0; d < keywords.Count; d++)
        {
            if (!trained.Contains(d)) continue;
            int hits = keywords[d].Distinct(StringComparer.OrdinalIgnoreCase).Count(k => question.Contains(k, StringComparison.OrdinalIgnoreCase));
            if (hits > bestHits) (best, bestHits) = (d, hits);
        }
        if (best >= 0) return best;
        return trained.Contains(defaultDomain) ? defaultDomain : -1;
    }
}
