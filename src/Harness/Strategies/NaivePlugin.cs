namespace Harness.Strategies;

/// <summary>
/// Naive sequential fine-tuning: every hook is the default, so each stage simply trains on its own domain. This is the
/// lower bound of continual learning (catastrophic forgetting; McCloskey &amp; Cohen 1989).
/// </summary>
internal sealed class NaivePlugin : IStrategyPlugin;
