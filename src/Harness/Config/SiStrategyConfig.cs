namespace Harness.Config;

/// <summary>
/// Synaptic intelligence (Zenke et al. 2017, "Continual Learning Through Synaptic Intelligence"): each weight's
/// importance is its contribution to the drop of the loss along the training path, and a quadratic penalty holds the
/// important weights near their values after earlier stages.
/// </summary>
[ConfigVariant("si")]
internal sealed record SiStrategyConfig : StrategyConfig
{
    /// <summary>Strength c of the penalty c · Σ Ω (θ − θ*)² (the paper's c; Split MNIST used 0.1–1 there).</summary>
    [ConfigRange(0, 1e12)] public double C { get; init; } = 1.0;
    /// <summary>Damping ξ in Ω = Σ ω / (Δθ² + ξ): keeps a weight that barely moved from getting an unbounded importance.</summary>
    [ConfigRange(1e-12, 1e6)] public double Xi { get; init; } = 0.1;
}
