namespace Harness.Config;

/// <summary>
/// Rehearsal mixing: each stage also trains on a fixed part of every earlier domain's original training data (no
/// bounded buffer; Robins 1995, "Catastrophic forgetting, rehearsal and pseudorehearsal"). Give exactly one of
/// <c>fraction</c> and <c>per_domain</c>.
/// </summary>
[ConfigVariant("rehearsal")]
internal sealed record RehearsalStrategyConfig : StrategyConfig
{
    /// <summary>Share (0, 1] of each earlier domain's training samples mixed into a later stage.</summary>
    [ConfigRange(0, 1)] public double? Fraction { get; init; }
    /// <summary>Samples of each earlier domain mixed into a later stage (all of them if the domain has fewer).</summary>
    [ConfigRange(1, 10_000_000)] public int? PerDomain { get; init; }
}
