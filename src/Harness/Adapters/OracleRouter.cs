using Harness.Config;

namespace Harness.Adapters;

/// <summary>The domain is known: each question goes to its own domain's adapter (the base before that domain is trained).</summary>
internal sealed class OracleRouter : IAdapterRouter
{
    /// <inheritdoc />
    public int[] Route(IReadOnlyList<string> questions, int knownDomain, IReadOnlyCollection<int> trained)
    {
        if (knownDomain < 0)
            throw new HarnessInputException("this run routes by oracle: say which domain the question belongs to (--domain ID)");
        int route = trained.Contains(knownDomain) ? knownDomain : -1;
        return questions.Select(_ => route).ToArray();
    }
}
