namespace Harness.Config;

/// <summary>One stage on the union of all domains: the upper bound (no sequence, so nothing to forget).</summary>
[ConfigVariant("joint")]
internal sealed record JointStrategyConfig : StrategyConfig;
