namespace Harness.Config;

/// <summary>
/// Parameter isolation with a shared part: a shared LoRA adapter on <c>shared_targets</c>, trained in every stage, plus
/// one adapter per domain on the disjoint <c>domain_targets</c>, trained only in its stage (in the spirit of
/// Progressive Networks, Rusu et al. 2016, and PackNet, Mallya &amp; Lazebnik 2018, with LoRA as the parameter unit).
/// </summary>
[ConfigVariant("isolation")]
internal sealed record IsolationStrategyConfig : StrategyConfig
{
    /// <summary>Rank of the shared adapter.</summary>
    [ConfigRange(1, 4096)] public int SharedRank { get; init; } = 4;
    /// <summary>Projections the shared adapter adapts.</summary>
    [ConfigNonEmpty] public IReadOnlyList<string> SharedTargets { get; init; } = ["mlp_up", "mlp_down"];
    /// <summary>Rank of each domain's adapter.</summary>
    [ConfigRange(1, 4096)] public int Rank { get; init; } = 8;
    /// <summary>Projections each domain's adapter adapts; disjoint from <see cref="SharedTargets"/>.</summary>
    [ConfigNonEmpty] public IReadOnlyList<string> DomainTargets { get; init; } = ["q", "v"];
    /// <summary>LoRA alpha of both adapters (updates scaled by alpha / r).</summary>
    [ConfigRange(1e-6, 1e6)] public double Alpha { get; init; } = 16;
    /// <summary>Dropout on the adapters' input while training.</summary>
    [ConfigRange(0, 0.9)] public double Dropout { get; init; }
    /// <summary>How a question finds its domain adapter: oracle, keyword or learned (as for <c>adapters</c>).</summary>
    [ConfigChoice("oracle", "keyword", "learned")] public string Routing { get; init; } = "oracle";
    /// <summary>Keyword routing: the domain used when no keyword matches; unset = the shared adapter alone.</summary>
    public string? DefaultDomain { get; init; }
}
