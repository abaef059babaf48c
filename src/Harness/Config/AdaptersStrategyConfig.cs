namespace Harness.Config;

/// <summary>
/// Isolated LoRA adapters (Hu et al. 2021): one adapter per domain over the frozen base, trained only in its stage,
/// chosen per question by <c>routing</c>.
/// </summary>
[ConfigVariant("adapters")]
internal sealed record AdaptersStrategyConfig : StrategyConfig
{
    /// <summary>Rank r of each update (the adapter's size grows with it).</summary>
    [ConfigRange(1, 4096)] public int Rank { get; init; } = 8;
    /// <summary>LoRA alpha: updates are scaled by alpha / r, so changing r keeps the update's scale.</summary>
    [ConfigRange(1e-6, 1e6)] public double Alpha { get; init; } = 16;
    /// <summary>Dropout on the adapter's input while training.</summary>
    [ConfigRange(0, 0.9)] public double Dropout { get; init; }
    /// <summary>Projections adapted in every block: any of q, k, v, o, mlp_up, mlp_down, head (the output projection), tok_emb (the token embedding).</summary>
    [ConfigNonEmpty] public IReadOnlyList<string> Targets { get; init; } = ["q", "v"];
    /// <summary>
    /// How a question finds its adapter: oracle (its domain is known), keyword (the curriculum's <c>keywords</c> lists),
    /// learned (nearest centroid of the frozen base's mean hidden state over each domain's training prompts).
    /// </summary>
    [ConfigChoice("oracle", "keyword", "learned")] public string Routing { get; init; } = "oracle";
    /// <summary>Keyword routing: the domain whose adapter answers a question no keyword matches; unset = the base model.</summary>
    public string? DefaultDomain { get; init; }
}
