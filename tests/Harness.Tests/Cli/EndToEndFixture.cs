namespace Harness.Tests.Cli;

/// <summary>
/// Runs the tiny config once per strategy and replay twice (same seed), sharing one pretraining cache, so several
/// tests can check the outputs without training again. The first run pretrains; every later run loads the cache.
/// </summary>
public sealed class EndToEndFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EndToEndFixture()
    {
        ConfigPath = TinyConfig.WriteTo(_dir);
        JointConfigPath = _dir.Write("joint.yaml", TinyConfig.Yaml(name: "tiny-joint", strategies: "  - type: joint"));
        NaiveConfigPath = _dir.Write("naive.yaml", TinyConfig.Yaml(name: "tiny-naive", strategies: "  - type: naive"));
        CacheDirectory = _dir.File("cache");

        First = Run(ConfigPath, "replay-1");
        Second = Run(ConfigPath, "replay-2");
        OtherSeed = Run(ConfigPath, "replay-seed-1", "--seed", "1");
        Joint = Run(JointConfigPath, "joint");
        Naive = Run(NaiveConfigPath, "naive");
    }

    public string ConfigPath { get; }
    public string JointConfigPath { get; }
    public string NaiveConfigPath { get; }
    public string CacheDirectory { get; }

    /// <summary>Writes another config next to the tiny one (same folder, so it finds words.jsonl).</summary>
    public string WriteConfig(string fileName, string yaml) => _dir.Write(fileName, yaml);

    /// <summary>The replay run, which pretrained the base.</summary>
    public RunResult First { get; }
    /// <summary>The replay run again with the same seed, from the cached base.</summary>
    public RunResult Second { get; }
    /// <summary>The replay run with --seed 1 (pretrains its own base: the seed is part of the cache key).</summary>
    public RunResult OtherSeed { get; }
    public RunResult Joint { get; }
    public RunResult Naive { get; }

    /// <summary>Runs <paramref name="config"/> into a new folder <paramref name="outName"/> with the shared cache.</summary>
    public RunResult Run(string config, string outName, params string[] options)
    {
        var outDirectory = _dir.File(outName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = CliResult.Run([config, "--out", outDirectory, "--cache-dir", CacheDirectory, "--device", "cpu", .. options]);
        return new RunResult(result, outDirectory, clock.Elapsed.TotalSeconds);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>One CLI run and the folder it wrote.</summary>
public sealed record RunResult(CliResult Cli, string Directory, double Seconds)
{
    public string File(string name) => Path.Combine(Directory, name);
}
