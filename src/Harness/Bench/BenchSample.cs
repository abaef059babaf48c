namespace Harness.Bench;

/// <summary>One timed repeat of a workload: wall seconds, optimiser steps (0 for evaluation), and units done (tokens, samples or prompts).</summary>
internal sealed record BenchSample(double Seconds, int Steps, long Units)
{
    /// <summary>Units per second.</summary>
    public double Rate => Units / Seconds;

    /// <summary>Seconds per optimiser step.</summary>
    public double StepSeconds => Seconds / Math.Max(1, Steps);
}
