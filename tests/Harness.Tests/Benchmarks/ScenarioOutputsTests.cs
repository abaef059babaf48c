using Harness.Benchmarks;
using Harness.Config;

namespace Harness.Tests.Benchmarks;

/// <summary>How each scenario maps a task's label to an output and a head (van de Ven &amp; Tolias 2019).</summary>
public sealed class ScenarioOutputsTests
{
    private static readonly IReadOnlyList<BenchmarkTask> Split = BenchmarkTasks.For(
        new BenchmarkConfig { Name = "split_mnist", Scenario = "class" }, seed: 0, pixels: 784);

    private static readonly IReadOnlyList<BenchmarkTask> Permuted = BenchmarkTasks.For(
        new BenchmarkConfig { Name = "permuted_mnist", Scenario = "class", Tasks = 3 }, seed: 0, pixels: 16);

    [Fact]
    public void Of_SplitTaskIncremental_LabelThreeInTaskOne_OutputThreeInHeadTwoToFour()
    {
        // Task 1 holds labels 2, 3; its block starts after task 0's two outputs
        Assert.Equal(new ImageTarget(3, 2, 4), ScenarioOutputs.Of("task", Split, 1, 3));
        Assert.Equal(new ImageTarget(8, 8, 10), ScenarioOutputs.Of("task", Split, 4, 8));
    }

    [Fact]
    public void Of_SplitClassIncremental_LabelThree_OutputThreeWithoutHead()
    {
        var target = ScenarioOutputs.Of("class", Split, 1, 3);

        Assert.Equal(new ImageTarget(3, 0, 0), target);
    }

    [Fact]
    public void Of_SplitDomainIncremental_OddDigitIsOutputOne_EvenIsZero()
    {
        Assert.Equal(new ImageTarget(1, 0, 0), ScenarioOutputs.Of("domain", Split, 1, 3));
        Assert.Equal(new ImageTarget(0, 0, 0), ScenarioOutputs.Of("domain", Split, 3, 6));
        Assert.Equal(new ImageTarget(1, 0, 0), ScenarioOutputs.Of("domain", Split, 4, 9));
    }

    [Theory]
    [InlineData("task", 10)]
    [InlineData("class", 10)]
    [InlineData("domain", 2)]
    public void Count_SplitMnist_TenTenTwo(string scenario, int expected) =>
        Assert.Equal(expected, ScenarioOutputs.Count(scenario, Split));

    [Fact]
    public void Of_PermutedClassIncremental_LabelSevenOfTaskTwo_IsOutputTwentySeven()
    {
        // Three tasks of ten labels each: task 2's block is [20, 30)
        Assert.Equal(30, ScenarioOutputs.Count("class", Permuted));
        Assert.Equal(new ImageTarget(27, 0, 0), ScenarioOutputs.Of("class", Permuted, 2, 7));
        Assert.Equal(new ImageTarget(27, 20, 30), ScenarioOutputs.Of("task", Permuted, 2, 7));
        // Domain-incremental Permuted MNIST shares ten outputs: the digit itself
        Assert.Equal(10, ScenarioOutputs.Count("domain", Permuted));
        Assert.Equal(new ImageTarget(7, 0, 0), ScenarioOutputs.Of("domain", Permuted, 2, 7));
    }

    [Fact]
    public void Of_LabelNotInTheTask_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ScenarioOutputs.Of("task", Split, 1, 5));
        Assert.Contains("label 5 is not in task 2-3", error.Message);
    }
}
