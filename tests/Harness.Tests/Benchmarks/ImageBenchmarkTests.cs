using Harness.Benchmarks;
using Harness.Config;
using Harness.Data;
using static TorchSharp.torch;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// A benchmark prepared over the committed MNIST fixture (50 images per digit in train, 20 in test): caps, held-out
/// validation, each task's classes, determinism and a missing data folder.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ImageBenchmarkTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ImageDataCache _cache = new();
    private static readonly (ImageSet Train, ImageSet Test) Fixture = ImageDataStore.LoadDirectory(DataPaths.MnistFixture);

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    private LoadedConfig Load(string benchmark, int seed = 0) => ConfigLoader.Parse($"""
        name: bench
        seed: {seed}
        model: {"{"}type: mlp, hidden: [8]{"}"}
        benchmark: {"{"}{benchmark}{"}"}
        strategies: [{"{"}type: naive{"}"}]

        """, _dir.File("bench.yaml"));

    private ImageBenchmark Prepare(string options, string name = "split_mnist", string scenario = "class", int seed = 0) =>
        ImageBenchmark.Prepare(Load($"name: {name}, scenario: {scenario}, data: \"{DataPaths.MnistFixture}\"{options}", seed), _cache, CPU);

    private static int[] Rows(IReadOnlyList<Harness.Training.TrainingSample> samples) => samples.Select(s => s.Image!.Row).ToArray();

    [Fact]
    public void Prepare_SplitFixture_AllTrainAndTestImagesOfEachTasksLabels()
    {
        using var benchmark = Prepare("");

        // Then five tasks of 2 × 50 training and 2 × 20 test images, each exactly its task's two digits
        Assert.Equal(["0-1", "2-3", "4-5", "6-7", "8-9"], benchmark.Curriculum.DomainIds);
        Assert.Equal(784, benchmark.Features);
        Assert.Equal(10, benchmark.Outputs);
        for (int t = 0; t < 5; t++)
        {
            var train = benchmark.Curriculum.Train[t];
            Assert.Equal(100, train.Count);
            Assert.Equal(100, Rows(train).Distinct().Count());
            Assert.Equal([2 * t, 2 * t + 1], train.Select(s => (int)Fixture.Train.Labels[s.Image!.Row]).Distinct().Order());
            Assert.Equal(40, benchmark.Scored[t].Count);
            Assert.Equal([2 * t, 2 * t + 1], benchmark.Scored[t].Select(s => (int)Fixture.Test.Labels[s.Image!.Row]).Distinct().Order());
            // Class-incremental: the target is the digit, over all outputs; the sample is of domain t
            Assert.All(train, s => Assert.Equal(Fixture.Train.Labels[s.Image!.Row], s.Image!.Target));
            Assert.All(train, s => Assert.False(s.Image!.HasHead));
            Assert.All(train, s => Assert.Equal(t, s.Domain));
        }
    }

    [Fact]
    public void Prepare_TaskScenario_EachSampleCarriesItsTasksHead()
    {
        using var benchmark = Prepare("", scenario: "task");

        for (int t = 0; t < 5; t++)
            Assert.All(benchmark.Scored[t], s => Assert.Equal((2 * t, 2 * t + 2), (s.Image!.HeadStart, s.Image.HeadEnd)));
    }

    [Fact]
    public void Prepare_TrainAndTestSize_CapEachTask()
    {
        using var benchmark = Prepare(", train_size: 30, test_size: 7");

        Assert.All(benchmark.Curriculum.Train, train => Assert.Equal(30, train.Count));
        Assert.All(benchmark.Scored, scored => Assert.Equal(7, scored.Count));
        Assert.All(benchmark.Scored, scored => Assert.Equal(7, Rows(scored).Distinct().Count()));
    }

    [Fact]
    public void Prepare_Validation_ScoresHeldBackTrainingImagesDisjointFromTraining()
    {
        // Given validation: 20 (and a train_size cap larger than what is left)
        using var benchmark = Prepare(", validation: 20, train_size: 1000");

        for (int t = 0; t < 5; t++)
        {
            var train = benchmark.Curriculum.Train[t];
            var scored = benchmark.Scored[t];
            // Then 20 of the task's 100 training images are scored and the other 80 trained on
            Assert.Equal(80, train.Count);
            Assert.Equal(20, scored.Count);
            Assert.Empty(Rows(train).Intersect(Rows(scored)));
            // And the scored images come from the training set: the same view object over the training pixels
            Assert.Same(train[0].Image!.View, scored[0].Image!.View);
            Assert.All(scored, s => Assert.Contains((int)Fixture.Train.Labels[s.Image!.Row], new[] { 2 * t, 2 * t + 1 }));
        }
    }

    [Fact]
    public void Prepare_PermutedValidation_HeldBackImagesAreTrainedOnInNoTask()
    {
        // Given Permuted MNIST (every task shows the same images under another permutation) with validation: 30
        using var benchmark = Prepare(", tasks: 3, validation: 30", name: "permuted_mnist", scenario: "domain");

        // Then every task scores the same 30 images and no task trains on any of them
        var scored = Rows(benchmark.Scored[0]).ToHashSet();
        Assert.Equal(30, scored.Count);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(scored, Rows(benchmark.Scored[t]).ToHashSet());
            Assert.Empty(Rows(benchmark.Curriculum.Train[t]).Intersect(scored));
            Assert.Equal(470, benchmark.Curriculum.Train[t].Count);
        }
    }

    [Fact]
    public void Prepare_ValidationAsLargeAsTheTask_InputErrorAtValidation()
    {
        var error = Assert.Throws<HarnessInputException>(() => Prepare(", validation: 100"));

        Assert.Contains("benchmark.validation:", error.Message);
        Assert.Contains("task 0-1 has 100 training images, too few to hold back 100 and train on the rest", error.Message);
    }

    [Fact]
    public void Prepare_SameSeed_SameSamples_OtherSeed_OtherSubset()
    {
        using var first = Prepare(", train_size: 10, test_size: 5", seed: 1);
        using var again = Prepare(", train_size: 10, test_size: 5", seed: 1);
        using var other = Prepare(", train_size: 10, test_size: 5", seed: 2);

        for (int t = 0; t < 5; t++)
        {
            Assert.Equal(Rows(first.Curriculum.Train[t]), Rows(again.Curriculum.Train[t]));
            Assert.Equal(Rows(first.Scored[t]), Rows(again.Scored[t]));
        }
        // 10 of 100 images: another seed draws the same subset in all five tasks with negligible probability
        Assert.Contains(Enumerable.Range(0, 5), t => !Rows(first.Curriculum.Train[t]).Order().SequenceEqual(Rows(other.Curriculum.Train[t]).Order()));
    }

    [Fact]
    public void Prepare_PermutedClassScenario_TenDigitsPerTaskOffsetTargets()
    {
        using var benchmark = Prepare(", tasks: 2, test_size: 10", name: "permuted_mnist");

        Assert.Equal(["perm1", "perm2"], benchmark.Curriculum.DomainIds);
        Assert.Equal(20, benchmark.Outputs);
        Assert.Equal(500, benchmark.Curriculum.Train[1].Count);
        Assert.All(benchmark.Curriculum.Train[1], s => Assert.Equal(10 + Fixture.Train.Labels[s.Image!.Row], s.Image!.Target));
        Assert.Equal("permuted", benchmark.Curriculum.Train[0][0].Image!.View.Description);
    }

    [Fact]
    public void Load_MissingDataFolder_InputErrorNamingTheDataKey()
    {
        // Given a benchmark whose data folder does not exist: refused when the config loads, before any run starts
        var missing = _dir.File("no-such-folder");

        var error = Assert.Throws<HarnessInputException>(() => Load($"name: split_mnist, scenario: class, data: \"{missing}\""));

        // Then file:line:column of the data key, its path, and the folder
        Assert.StartsWith($"{_dir.File("bench.yaml")}:4:", error.Message);
        Assert.Contains("benchmark.data:", error.Message);
        Assert.Contains($"{missing} is not a folder", error.Message);
    }
    [Fact]
    public void Prepare_RotatedDomainScenario_ViewPerAngleAndDigitTargets()
    {
        using var benchmark = Prepare(", angles: [0, 90], test_size: 5", name: "rotated_mnist", scenario: "domain");

        Assert.Equal(["rot0", "rot90"], benchmark.Curriculum.DomainIds);
        Assert.Equal(10, benchmark.Outputs);
        Assert.Equal("plain", benchmark.Curriculum.Train[0][0].Image!.View.Description);
        Assert.Equal("rotated 90°", benchmark.Curriculum.Train[1][0].Image!.View.Description);
        Assert.Equal("rotated 90°", benchmark.Scored[1][0].Image!.View.Description);
        Assert.All(benchmark.Curriculum.Train[1], s => Assert.Equal(Fixture.Train.Labels[s.Image!.Row], s.Image!.Target));
    }
}
