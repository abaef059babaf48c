namespace Harness.Config;

/// <summary>
/// Pretraining of the base model on general text that is not in the curriculum, before stage 1. The result is cached
/// under results/.cache/ keyed by a hash of everything that determines it. <c>pretrain: none</c> starts from random weights.
/// </summary>
internal sealed record PretrainConfig
{
    /// <summary>builtin (KJV verses + Chinese proverbs shipped in data/pretrain), none, or text:PATH (one passage per line).</summary>
    [ConfigChoice("builtin", "none", "text:")] public string Corpus { get; init; } = "builtin";
    /// <summary>Optimiser steps of pretraining.</summary>
    [ConfigRange(1, 10_000_000)] public int Steps { get; init; } = 600;
    /// <summary>Sequences per pretraining step.</summary>
    [ConfigRange(1, 65536)] public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate of pretraining (decays over the last 30%).</summary>
    [ConfigRange(1e-7, 1)] public double Lr { get; init; } = 2e-3;
    /// <summary>Reuse a cached base with the same hash instead of pretraining again.</summary>
    public bool Cache { get; init; } = true;

    /// <summary>Whether any pretraining happens.</summary>
    public bool Enabled => Corpus != "none";

    /// <summary>Accepts <c>pretrain: none</c>.</summary>
    public static PretrainConfig? FromShorthand(string value) => value == "none" ? new PretrainConfig { Corpus = "none" } : null;
}
