using Harness.Config;
using Harness.Experiments;

namespace Harness.Tests.Experiments;

public sealed class SuiteLoaderTests
{
    private static (TempDirectory Dir, string Suite) Write(string suite)
    {
        var dir = new TempDirectory();
        TinyConfig.WriteTo(dir);
        return (dir, dir.Write("suite.yaml", suite));
    }

    [Fact]
    public void Load_Grid_ExpandsOneLabelledVariantPerValue()
    {
        // Given a grid over the replay buffer size
        var (dir, path) = Write("""
            name: sweep
            seeds: 3
            variants:
              - config: tiny.yaml
                label: replay
                grid: {strategies.replay.buffer_size: [2, 6]}
            """);
        using var _ = dir;

        // When
        var suite = SuiteLoader.Load(path);

        // Then
        Assert.Equal("sweep", suite.Name);
        Assert.Equal([0, 1, 2], suite.Seeds);
        Assert.Equal(["replay-buffer_size=2", "replay-buffer_size=6"], suite.Variants.Select(v => v.Label));
        var buffers = suite.Variants.Select(v => SuiteDefinition.LoadConfig(v, 0).Config.Strategies.OfType<ReplayStrategyConfig>().Single().BufferSize);
        Assert.Equal([2, 6], buffers);
    }

    [Fact]
    public void LoadConfig_Overrides_ReachKeysByPathTypeIdAndIndex()
    {
        var (dir, path) = Write("""
            seeds: [4, 7]
            overrides:
              training.epochs: 1
            variants:
              - config: tiny.yaml
                overrides:
                  strategies.replay.selection: fifo
                  strategies[0].replay_ratio: 0.5
                  curriculum.math.epochs: 2
                  model.dropout: 0.2
            """);
        using var _ = dir;

        var suite = SuiteLoader.Load(path);
        var config = SuiteDefinition.LoadConfig(suite.Variants[0], seed: 7).Config;

        Assert.Equal("suite", Path.GetFileNameWithoutExtension(suite.File));
        Assert.Equal("tiny", suite.Variants[0].Label); // default label: the config file's name
        Assert.Equal("tiny", config.Name);
        Assert.Equal(7, config.Seed);
        Assert.Equal(1, config.Training.Epochs);
        var replay = config.Strategies.OfType<ReplayStrategyConfig>().Single();
        Assert.Equal("fifo", replay.Selection);
        Assert.Equal(0.5, replay.ReplayRatio);
        Assert.Equal(2, config.Curriculum.Single(d => d.Id == "math").Epochs);
        Assert.Equal(0.2, config.Model.Dropout);
    }

    [Theory]
    [InlineData("strategies.ewc.lambda: 1", "suite.yaml:5:7: overrides.strategies.ewc.lambda:", "no list item with type or id 'ewc'")]
    [InlineData("trainer.epochs: 1", "suite.yaml:5:7: overrides.trainer.epochs:", "has no key 'trainer'")]
    [InlineData("strategies[3].buffer_size: 1", "suite.yaml:5:7: overrides.strategies[3].buffer_size:", "past the end")]
    [InlineData("training.epochs.x: 1", "suite.yaml:5:7: overrides.training.epochs.x:", "is a single value")]
    public void Load_OverrideToAKeyTheConfigLacks_NamesTheSuiteFileLineAndKey(string line, string at, string reason)
    {
        var (dir, path) = Write($"""
            variants:
              - config: tiny.yaml
                label: x
                overrides:
                  {line}
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.StartsWith(path.Replace("suite.yaml", at), e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Load_OverrideValueTheConfigRejects_IsReportedAtTheSuiteFileLine()
    {
        // Given a buffer size of 0, which the replay config's range check refuses
        var (dir, path) = Write("""
            variants:
              - config: tiny.yaml
                overrides: {strategies.replay.buffer_size: 0}
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        // Then the error points at the suite file's line 3 (where the value is), with the config's key path
        Assert.StartsWith($"{path}:3:", e.Message);
        Assert.Contains("strategies[0].buffer_size", e.Message);
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public void Load_OverrideFailingACheckAfterBinding_IsReportedAtTheSuiteFileLine()
    {
        // Given batch_size 1, which only the cross-key check (replay needs two slots) refuses, after binding
        var (dir, path) = Write("""
            variants:
              - config: tiny.yaml
                overrides:
                  training.batch_size: 1
            """);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.StartsWith($"{path}:4:", e.Message);
        Assert.Contains("training.batch_size", e.Message);
        Assert.Contains("needs batch_size >= 2", e.Message);
    }

    [Theory]
    [InlineData("variants: []", "variants: expected a non-empty list")]
    [InlineData("name: x", "variants: required key is missing")]
    [InlineData("seed: 1\nvariants: [{config: tiny.yaml}]", "seed: unknown key")]
    [InlineData("seeds: [1, 1]\nvariants: [{config: tiny.yaml}]", "seed 1 is listed twice")]
    [InlineData("seeds: 0\nvariants: [{config: tiny.yaml}]", "a count from 1 to 1000")]
    [InlineData("variants: [{config: missing.yaml}]", "missing.yaml not found")]
    [InlineData("variants: [{config: tiny.yaml, seeds: 2}]", "variants[0].seeds: unknown key")]
    [InlineData("variants: [{config: tiny.yaml}, {config: tiny.yaml}]", "two variants are labelled 'tiny'")]
    [InlineData("variants: [{config: tiny.yaml, label: a/b}]", "variant label 'a/b'")]
    [InlineData("variants: [{config: tiny.yaml, grid: {training.epochs: []}}]", "non-empty list of single values")]
    [InlineData("name: ../x\nvariants: [{config: tiny.yaml}]", "name: '../x' must be")]
    [InlineData("name: ..\nvariants: [{config: tiny.yaml}]", "not starting with '.'")]
    [InlineData("variants: [{config: tiny.yaml, label: .hidden}]", "not starting with '.'")]
    [InlineData("variants: [{config: tiny.yaml, grid: {trainer.epochs: [1]}}]", "grid.trainer.epochs: ")]
    public void Load_MalformedSuite_IsAnInputErrorNamingFileAndKey(string yaml, string expected)
    {
        var (dir, path) = Write(yaml);
        using var _ = dir;

        var e = Assert.Throws<HarnessInputException>(() => SuiteLoader.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
