using Harness.Benchmarks;
using Harness.Config;

namespace Harness.Tests.Benchmarks;

/// <summary>The task sequence of each benchmark: Split's label groups, Permuted's seeded permutations, Rotated's ids.</summary>
public sealed class BenchmarkTasksTests
{
    private static BenchmarkConfig Benchmark(string name, int classesPerTask = 2, int tasks = 10, double[]? angles = null) =>
        new() { Name = name, Scenario = "class", ClassesPerTask = classesPerTask, Tasks = tasks, Angles = angles ?? [] };

    [Fact]
    public void For_SplitMnist_FiveTasksOfConsecutiveLabelPairs()
    {
        // When Split MNIST's tasks are built with the default two classes per task
        var tasks = BenchmarkTasks.For(Benchmark("split_mnist"), seed: 0, pixels: 784);

        // Then 0/1, 2/3, 4/5, 6/7, 8/9 (Zenke et al. 2017), ids naming the labels, no view transform
        Assert.Equal(["0-1", "2-3", "4-5", "6-7", "8-9"], tasks.Select(t => t.Id));
        Assert.Equal([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]], tasks.Select(t => t.Labels.ToArray()));
        Assert.All(tasks, t => Assert.Null(t.Permutation));
        Assert.All(tasks, t => Assert.Equal(0, t.Angle));
    }

    [Fact]
    public void For_SplitFiveClassesPerTask_TwoTasks()
    {
        var tasks = BenchmarkTasks.For(Benchmark("split_fashion_mnist", classesPerTask: 5), seed: 0, pixels: 784);

        Assert.Equal(["0-1-2-3-4", "5-6-7-8-9"], tasks.Select(t => t.Id));
        Assert.Equal([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], tasks.Select(t => t.Labels.ToArray()));
    }

    [Fact]
    public void For_PermutedMnist_EachTaskAllDigitsUnderAPermutationOfEveryPixel()
    {
        // When three permuted tasks are built
        var tasks = BenchmarkTasks.For(Benchmark("permuted_mnist", tasks: 3), seed: 7, pixels: 784);

        // Then perm1..perm3, each over all ten digits, each permutation a rearrangement of 0..783
        Assert.Equal(["perm1", "perm2", "perm3"], tasks.Select(t => t.Id));
        Assert.All(tasks, t => Assert.Equal(Enumerable.Range(0, 10), t.Labels));
        Assert.All(tasks, t => Assert.Equal(Enumerable.Range(0, 784).Select(i => (long)i), t.Permutation!.Order()));
        // And the permutations are shuffles, not the identity
        Assert.All(tasks, t => Assert.NotEqual(Enumerable.Range(0, 784).Select(i => (long)i), t.Permutation!));
    }

    [Fact]
    public void Permutation_SameSeedAndTask_Same_OtherTaskOrSeed_Different()
    {
        var first = BenchmarkTasks.Permutation(seed: 3, task: 1, pixels: 784);

        Assert.Equal(first, BenchmarkTasks.Permutation(seed: 3, task: 1, pixels: 784));
        Assert.NotEqual(first, BenchmarkTasks.Permutation(seed: 3, task: 2, pixels: 784));
        Assert.NotEqual(first, BenchmarkTasks.Permutation(seed: 4, task: 1, pixels: 784));
        // And For draws task t's permutation from (seed, t): task 2 of the benchmark is Permutation(seed, 1)
        var tasks = BenchmarkTasks.For(Benchmark("permuted_mnist", tasks: 2), seed: 3, pixels: 784);
        Assert.Equal(first, tasks[1].Permutation);
    }

    [Fact]
    public void For_RotatedMnist_OneTaskPerAngleNamedByIt()
    {
        var tasks = BenchmarkTasks.For(Benchmark("rotated_mnist", angles: [0, 22.5, 90, 1.0 / 3]), seed: 0, pixels: 784);

        // Then ids keep up to three decimals, without trailing zeros
        Assert.Equal(["rot0", "rot22.5", "rot90", "rot0.333"], tasks.Select(t => t.Id));
        Assert.Equal([0, 22.5, 90, 1.0 / 3], tasks.Select(t => t.Angle));
        Assert.All(tasks, t => Assert.Equal(Enumerable.Range(0, 10), t.Labels));
        Assert.All(tasks, t => Assert.Null(t.Permutation));
    }

    [Theory]
    [InlineData("split_mnist", "mnist")]
    [InlineData("permuted_mnist", "mnist")]
    [InlineData("rotated_mnist", "mnist")]
    [InlineData("split_fashion_mnist", "fashion-mnist")]
    public void Dataset_EachBenchmark_ItsImageSource(string name, string expected) =>
        Assert.Equal(expected, BenchmarkTasks.Dataset(Benchmark(name)));
}
