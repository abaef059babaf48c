namespace Harness.Config;

/// <summary>Plain sequential fine-tuning: the lower bound every strategy is compared with.</summary>
[ConfigVariant("naive")]
public sealed record NaiveStrategyConfig : StrategyConfig;
