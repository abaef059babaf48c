using System.Diagnostics;
using Xunit.Abstractions;

namespace Harness.Tests.Cli;

/// <summary>
/// Every case of <see cref="BadInputCorpus"/> through the CLI: exit 2, one stderr line naming file, line and key, no
/// stack trace, and nothing written that looks like a run.
/// </summary>
public sealed class BadInputCorpusTests(ITestOutputHelper output)
{
    /// <summary>The case names (xunit shows one test per name).</summary>
    public static TheoryData<string> Names => new(BadInputCorpus.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Run_MalformedInput_ExitsTwoWithOneLineNamingFileLineAndKey(string name)
    {
        // Given the case's files in a fresh folder
        var bad = BadInputCorpus.Get(name);
        using var dir = new TempDirectory();
        foreach (var folder in bad.Folders) Directory.CreateDirectory(dir.File(folder));
        foreach (var (relative, bytes) in bad.Files) File.WriteAllBytes(dir.File(relative), bytes);
        var config = dir.File("bad.yaml");
        File.WriteAllBytes(config, bad.Config);
        var outDirectory = Path.IsPathRooted(bad.Out) ? bad.Out : dir.File(bad.Out);
        var cacheDirectory = Path.IsPathRooted(bad.CacheDir) ? bad.CacheDir : dir.File(bad.CacheDir);
        var before = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList();

        // When it is validated or trained
        var clock = Stopwatch.StartNew();
        var result = bad.Validate ? CliResult.Run("validate", config)
            : bad.Resume is { } resume ? CliResult.Run(config, "--resume", dir.File(resume), "--cache-dir", cacheDirectory, "--device", "cpu")
            : CliResult.Run(config, "--out", outDirectory, "--cache-dir", cacheDirectory, "--device", "cpu");

        // Then: exit 2, one line naming the file, the line and the key, and no stack trace
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        output.WriteLine(line);
        Assert.StartsWith("error: ", line);
        var file = Path.IsPathRooted(bad.ErrorFile) ? bad.ErrorFile : dir.File(bad.ErrorFile);
        var expectedPlace = bad.Line is { } n ? $"{file}:{n}:" : file;
        Assert.True(line.Contains(expectedPlace, StringComparison.Ordinal), $"expected '{expectedPlace}' in: {line}");
        Assert.True(line.Contains(bad.Key, StringComparison.Ordinal), $"expected key '{bad.Key}' in: {line}");
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}"); // fails before any training: seconds at most, even on a loaded machine

        // And nothing was created: no run folder, no cache, no stray file next to the inputs
        var after = Directory.GetFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(before, after);
        Assert.False(Directory.Exists(outDirectory) && !before.Contains(outDirectory), $"{outDirectory} was created");
    }

    [Fact]
    public void All_Corpus_HasFiftyUniqueCasesCoveringEveryCategory()
    {
        // Given the corpus
        var cases = BadInputCorpus.All;

        // Then it has at least 50 cases with unique names, at least two of every category
        Assert.True(cases.Count >= 50, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        foreach (var category in Enum.GetValues<BadInputCategory>())
            Assert.True(cases.Count(c => c.Category == category) >= 2, $"{category} has fewer than two cases");

        // And only errors about a folder lack a line (every config or data error names one)
        Assert.All(cases.Where(c => c.Line is null), c => Assert.Contains(c.Category, new[] { BadInputCategory.UnwritableOutput, BadInputCategory.BadResume }));
        Assert.Contains(cases, c => c.Validate);
        Assert.Contains(cases, c => !c.Validate);
    }
}
