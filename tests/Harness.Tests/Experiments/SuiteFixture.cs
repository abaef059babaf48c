using Harness.Tests.Cli;

namespace Harness.Tests.Experiments;

/// <summary>
/// A tiny suite (naive and replay, seeds 0 and 1, a few steps each) run once through the CLI into one folder, shared by
/// the suite tests; later runs of the same suite in that folder skip what is finished.
/// </summary>
public sealed class SuiteFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SuiteFixture()
    {
        TinyConfig.WriteTo(_dir);
        SuitePath = _dir.Write("suite.yaml", TinySuite.Yaml("tiny-suite"));
        First = Suite();
    }

    public string SuitePath { get; }
    public string OutDirectory => _dir.File("out");
    public string CacheDirectory => _dir.File("cache");

    /// <summary>The first, complete run of the suite.</summary>
    public CliResult First { get; }

    /// <summary>Runs the suite again into the same folder with extra options.</summary>
    public CliResult Suite(params string[] options) =>
        CliResult.Run(["suite", SuitePath, "--out", OutDirectory, "--cache-dir", CacheDirectory, "--device", "cpu", .. options]);

    /// <summary>A file path inside the fixture's folder.</summary>
    public string File(string name) => _dir.File(name);

    /// <summary>Rewrites the suite file.</summary>
    public void RewriteSuite(string text) => System.IO.File.WriteAllText(SuitePath, text);

    public void Dispose() => _dir.Dispose();
}
