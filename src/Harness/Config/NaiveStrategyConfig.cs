namespace Harness.Config;

/// <summary>Plain sequential fine-tuning: the lower bound every strategy is compared with.</summary>
[ConfigVariant("naive")]
internal sealed record NaiveStrategyConfig : StrategyConfig;
