namespace Harness.Config;

/// <summary>A validated config with the positions of its keys (for later errors) and the folder relative paths start from.</summary>
internal sealed record LoadedConfig(ExperimentConfig Config, ConfigPositions Positions, string BaseDirectory)
{
    /// <summary>The same config with command-line overrides applied (--seed, --device).</summary>
    public LoadedConfig WithOverrides(int? seed, string? device) => this with
    {
        Config = Config with { Seed = seed ?? Config.Seed, Device = device ?? Config.Device },
    };

    /// <summary>
    /// The config as written to a run directory: data paths made absolute, so config.resolved.yaml loads again from
    /// its new folder and names exactly the files the run read.
    /// </summary>
    public ExperimentConfig Resolved() => Config with
    {
        Curriculum = Config.Curriculum.Select(d => d with { Source = Absolute(d.Source, "jsonl:") }).ToList(),
        Pretrain = Config.Pretrain with { Corpus = Absolute(Config.Pretrain.Corpus, "text:") },
        Benchmark = Config.Benchmark is { Data: { } data } benchmark
            ? benchmark with { Data = ConfigLoader.ResolvePath(BaseDirectory, data) }
            : Config.Benchmark,
    };

    private string Absolute(string source, string prefix) =>
        source.StartsWith(prefix, StringComparison.Ordinal)
            ? prefix + ConfigLoader.ResolvePath(BaseDirectory, source[prefix.Length..])
            : source;
}
