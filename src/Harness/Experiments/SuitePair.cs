namespace Harness.Experiments;

/// <summary>One (variant, seed) run of a suite and its number in the plan (what <see cref="SuiteShard"/> assigns by).</summary>
internal sealed record SuitePair(int Index, SuiteVariant Variant, int Seed);
