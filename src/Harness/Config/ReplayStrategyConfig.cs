namespace Harness.Config;

/// <summary>Experience replay from a bounded buffer (Chaudhry et al. 2019, "On Tiny Episodic Memories").</summary>
[ConfigVariant("replay")]
internal sealed record ReplayStrategyConfig : StrategyConfig
{
    /// <summary>Samples the buffer holds at most.</summary>
    [ConfigRange(1, 10_000_000)] public int BufferSize { get; init; } = 200;
    /// <summary>How the buffer chooses what to keep: reservoir = a uniform sample of everything seen (Vitter's algorithm R).</summary>
    [ConfigChoice("reservoir")] public string Selection { get; init; } = "reservoir";
    /// <summary>Share of each training batch drawn from the buffer (once it holds samples).</summary>
    [ConfigRange(0, 0.95)] public double ReplayRatio { get; init; } = 0.25;
}
