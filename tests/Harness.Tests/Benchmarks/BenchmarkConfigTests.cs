using Harness.Benchmarks;
using Harness.Data;
using Harness.Tests.Cli;

namespace Harness.Tests.Benchmarks;

/// <summary>Benchmark configs that cannot work are refused when they load (exit 2, file:line:column: key: reason).</summary>
public sealed class BenchmarkConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Lines 1-7 are fixed; <paramref name="tail"/> starts at line 8.</summary>
    private (CliResult Result, string Path) Validate(string model = "mlp", string benchmark = "split_mnist", string tail = "", string command = "validate")
    {
        var path = _dir.Write("bad.yaml", $"""
            name: bad
            model:
              type: {model}
              hidden: [8]
            benchmark:
              name: {benchmark}
              scenario: class
            {tail}
            """);
        return (command == "validate" ? CliResult.Run("validate", path) : CliResult.Run(path, "--out", _dir.File("run")), path);
    }

    private static void AssertInputError(CliResult result, string expectedStart, string expectedReason) =>
        Assert.Contains(expectedReason, result.InputErrorLine(expectedStart));

    [Fact]
    public void Validate_FixtureBenchmark_ExitsZero()
    {
        var (result, _) = Validate(tail: $"  data: \"{DataPaths.MnistFixture}\"");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Validate_BenchmarkAndCurriculum_ExitsTwoAtCurriculum()
    {
        var (result, path) = Validate(tail: "curriculum:\n  - {id: math, source: math}");

        AssertInputError(result, $"{path}:8:1: curriculum:", "give curriculum: or benchmark:, not both");
    }

    [Fact]
    public void Validate_MlpWithCurriculum_ExitsTwoAtModelType()
    {
        var path = _dir.Write("bad.yaml", "name: bad\npretrain: none\nmodel:\n  type: mlp\n  hidden: [8]\ncurriculum:\n  - {id: math, source: math}\n");

        AssertInputError(CliResult.Run("validate", path), $"{path}:4:3: model.type:", "the text curriculum needs model type gpt");
    }

    [Fact]
    public void Validate_GptWithBenchmark_ExitsTwoAtModelType()
    {
        var (result, path) = Validate(model: "gpt");

        AssertInputError(result, $"{path}:3:3: model.type:", "benchmark split_mnist needs model type mlp");
    }

    [Fact]
    public void Validate_RotatedWithoutAngles_ExitsTwoNamingAngles()
    {
        var (result, path) = Validate(benchmark: "rotated_mnist");

        // The key is absent: the error points at the benchmark mapping (its first key) and names the missing key
        AssertInputError(result, $"{path}:6:3: benchmark.angles:", "rotated_mnist needs angles:");
    }

    [Fact]
    public void Validate_AnglesOnSplit_ExitsTwoAtAngles()
    {
        var (result, path) = Validate(tail: "  angles: [0, 90]");

        AssertInputError(result, $"{path}:8:3: benchmark.angles:", "only rotated_mnist uses angles");
    }

    [Fact]
    public void Validate_AnglesThatPrintAlike_ExitsTwoAtAngles()
    {
        // Given 0 and 0.0001 degrees, both task rot0
        var (result, path) = Validate(benchmark: "rotated_mnist", tail: "  angles: [0, 0.0001]");

        AssertInputError(result, $"{path}:8:3: benchmark.angles:", "angles 0 and 0.0001 both make task rot0");
    }

    [Fact]
    public void Validate_SiWithGradientClipping_ExitsTwoAtGradClip()
    {
        // Given si with the default grad_clip 1.0 (line 8 is training:)
        var (result, path) = Validate(tail: "training: {grad_clip: 1.0}\nstrategies: [{type: si}]");

        AssertInputError(result, $"{path}:8:", "si (strategies[0]) integrates the loss gradient along the path, which clipping rescales");
    }

    [Fact]
    public void Validate_MissingCacheData_NamesTheFetchCommand()
    {
        // Given an empty data root
        var root = _dir.File("empty-root");
        Directory.CreateDirectory(root);

        // Then the check names the folder and the command
        Assert.Equal($"mnist data not found in {Path.Combine(root, "mnist")}: run ./run.sh data mnist --dir {root}", ImageDataStore.Missing("mnist", root));
        // And once the four files are there, nothing is missing
        Directory.CreateDirectory(Path.Combine(root, "mnist"));
        foreach (var name in ImageDataStore.FileNames) File.WriteAllText(Path.Combine(root, "mnist", name), "");
        Assert.Null(ImageDataStore.Missing("mnist", root));
    }

    [Fact]
    public void Validate_TasksOnSplit_ExitsTwoAtTasks()
    {
        var (result, path) = Validate(tail: "  tasks: 3");

        AssertInputError(result, $"{path}:8:3: benchmark.tasks:", "only permuted_mnist takes a task count (this is split_mnist)");
    }

    [Fact]
    public void Validate_MomentumWithAdamw_ExitsTwoAtMomentum()
    {
        var (result, path) = Validate(tail: "training: {momentum: 0.9}");

        AssertInputError(result, $"{path}:8:", "momentum is an sgd setting");
    }

    [Fact]
    public void Validate_ThreeClassesPerTask_ExitsTwoAtClassesPerTask()
    {
        var (result, path) = Validate(tail: "  classes_per_task: 3");

        AssertInputError(result, $"{path}:8:3: benchmark.classes_per_task:", "3 does not divide the 10 classes");
    }

    [Fact]
    public void Validate_AdaptersWithMlp_ExitsTwoAtStrategyType()
    {
        var (result, path) = Validate(tail: "strategies:\n  - type: adapters");

        AssertInputError(result, $"{path}:9:5: strategies[0].type:", "'adapters' adapts the text model's projections; it does not apply to the mlp");
    }

    [Fact]
    public void Run_MissingDataFolder_ExitsTwoAtData()
    {
        var missing = _dir.File("nowhere");
        var (result, path) = Validate(tail: $"  data: \"{missing}\"", command: "run");

        AssertInputError(result, $"{path}:8:3: benchmark.data:", $"{missing} is not a folder");
        Assert.False(Directory.Exists(_dir.File("run")), "no run folder for a config that cannot run");
    }
}
