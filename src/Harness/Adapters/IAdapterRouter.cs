namespace Harness.Adapters;

/// <summary>Chooses, per question, the domain whose adapter answers it.</summary>
internal interface IAdapterRouter
{
    /// <summary>
    /// The domain index for each of <paramref name="questions"/>, among the domains with an adapter
    /// (<paramref name="trained"/>), or -1 for none (the base model). <paramref name="knownDomain"/> is the questions'
    /// true domain when the caller knows it (evaluation), else -1; only the oracle may look at it.
    /// </summary>
    int[] Route(IReadOnlyList<string> questions, int knownDomain, IReadOnlyCollection<int> trained);
}
