namespace Harness.Config;

/// <summary>A validated config with the positions of its keys (for later errors) and the folder relative paths start from.</summary>
public sealed record LoadedConfig(ExperimentConfig Config, ConfigPositions Positions, string BaseDirectory)
{
    /// <summary>The same config with command-line overrides applied (--seed, --device).</summary>
    public LoadedConfig WithOverrides(int? seed, string? device) => this with
    {
        Config = Config with { Seed = seed ?? Config.Seed, Device = device ?? Config.Device },
    };
}
