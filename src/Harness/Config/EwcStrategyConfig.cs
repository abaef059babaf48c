namespace Harness.Config;

/// <summary>
/// Elastic weight consolidation (Kirkpatrick et al. 2017): a quadratic penalty, weighted by the diagonal Fisher
/// information, that holds the weights important to earlier stages near their values after those stages. Online
/// EWC (Schwarz et al. 2018, "Progress &amp; Compress") keeps one running Fisher instead of one per stage.
/// </summary>
[ConfigVariant("ewc")]
internal sealed record EwcStrategyConfig : StrategyConfig
{
    /// <summary>
    /// Strength λ of the penalty λ/2 · Σ F (θ − θ*)². A memorised domain has a tiny empirical Fisher (mean ~1e-7 to
    /// 1e-5 per weight on the default curriculum), so useful values are large: 1e4 kept poetry but not math there, 1e5 kept both.
    /// </summary>
    [ConfigRange(0, 1e12)] public double Lambda { get; init; } = 100_000;
    /// <summary>Keep one running Fisher F = γ·F_prev + F_new around the latest weights, instead of one penalty per finished stage.</summary>
    public bool Online { get; init; }
    /// <summary>Decay γ of the earlier Fisher in online mode (1 = no decay); ignored otherwise.</summary>
    [ConfigRange(0, 1)] public double Gamma { get; init; } = 1.0;
    /// <summary>At most this many of a stage's training samples (a seeded random subset) estimate its Fisher; null = all.</summary>
    [ConfigRange(1, 10_000_000)] public int? FisherSamples { get; init; }
}
