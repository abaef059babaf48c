namespace Harness.Config;

/// <summary>
/// L2 anchoring (the "L2" baseline of Kirkpatrick et al. 2017 and Hsu et al. 2018): every weight is pulled back toward
/// its value after the previous stage with the same strength, EWC with a unit importance.
/// </summary>
[ConfigVariant("l2")]
internal sealed record L2StrategyConfig : StrategyConfig
{
    /// <summary>Strength λ of the penalty λ/2 · Σ (θ − θ*)².</summary>
    [ConfigRange(0, 1e12)] public double Lambda { get; init; } = 1.0;
}
