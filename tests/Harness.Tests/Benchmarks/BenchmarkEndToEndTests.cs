using System.Text.Json.Nodes;

namespace Harness.Tests.Benchmarks;

/// <summary>
/// Split MNIST end to end in each scenario: exit 0, a 5×5 matrix plus the initial row, and the scenario's known
/// shape under naive fine-tuning (task-IL forgets little, class-IL forgets almost everything, domain-IL has 2 outputs).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BenchmarkEndToEndTests(BenchmarkRunFixture runs) : IClassFixture<BenchmarkRunFixture>
{
    private static readonly string[] Tasks = ["0-1", "2-3", "4-5", "6-7", "8-9"];

    private JsonObject Metrics(string scenario)
    {
        var (cli, directory) = runs.Run(scenario);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        return JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "metrics.json")))!.AsObject();
    }

    private double[][] Matrix(string scenario) =>
        Metrics(scenario)["accuracy_matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();

    [Theory]
    [InlineData("task")]
    [InlineData("domain")]
    [InlineData("class")]
    public void Run_SplitFixture_ExitsZeroWithInitialPlusFiveByFiveMatrix(string scenario)
    {
        var metrics = Metrics(scenario);
        var (cli, directory) = runs.Run(scenario);

        Assert.Equal("", cli.Stderr);
        Assert.Equal("completed", metrics["status"]!.GetValue<string>());
        Assert.Equal(Tasks, metrics["domains"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["initial", .. Tasks], metrics["stages"]!.AsArray().Select(d => d!.GetValue<string>()));
        var matrix = Matrix(scenario);
        Assert.Equal(6, matrix.Length);
        Assert.All(matrix, row => Assert.Equal(5, row.Length));
        // Accuracies are shares of 40 test images per task
        Assert.All(matrix.SelectMany(r => r), a => Assert.Equal(Math.Round(a * 40), a * 40, 9));
        // And a text run's token matrix does not exist for images
        Assert.Null(metrics["token_accuracy_matrix"]);
        Assert.True(File.Exists(Path.Combine(directory, "accuracy_matrix.csv")));
        Assert.True(File.Exists(Path.Combine(directory, "model.pt")));
    }

    [Fact]
    public void Run_TaskVersusClassIncremental_TaskIsFarMoreAccurateAtTheEnd()
    {
        double task = Metrics("task")["acc"]!.GetValue<double>();
        double @class = Metrics("class")["acc"]!.GetValue<double>();

        // Knowing the task at test time leaves a two-way choice per image; class-IL must pick among all ten
        Assert.True(task > @class + 0.3, $"task-IL acc {task}, class-IL acc {@class}");
    }

    [Fact]
    public void Run_ClassIncrementalNaive_LearnsTheLastTaskAndForgetsTheFirst()
    {
        var last = Matrix("class")[^1];

        // After the last stage: the recency bias of naive class-IL (van de Ven & Tolias 2019)
        Assert.True(last[4] > 0.5, $"8-9 accuracy {last[4]}");
        Assert.True(last[0] < 0.2, $"0-1 accuracy {last[0]}");
    }

    [Fact]
    public void Run_TaskIncremental_FirstTaskLearnedWell()
    {
        var matrix = Matrix("task");

        // Two-way choice after training on it, and the diagonal of a task-IL matrix stays high
        Assert.True(matrix[1][0] > 0.9, $"0-1 after its stage {matrix[1][0]}");
        Assert.True(matrix[5].Average() > 0.8, $"final mean {matrix[5].Average()}");
    }

    [Theory]
    [InlineData("task", 10)]
    [InlineData("domain", 2)]
    [InlineData("class", 10)]
    public void Run_SplitFixture_LogsTheScenarioAndItsOutputCount(string scenario, int outputs)
    {
        Metrics(scenario);
        var log = File.ReadAllText(Path.Combine(runs.Run(scenario).Directory, "train.log"));

        Assert.Contains($"benchmark split_mnist, {scenario}-incremental, {outputs} outputs: 0-1 (100 train, 40 scored)", log);
        // 784 → 64 → outputs
        Assert.Contains($"model: {784 * 64 + 64 + 64 * outputs + outputs} parameters", log);
    }

    [Fact]
    public void Run_ResolvedConfig_LoadsBackEqual_SoASuiteRecognisesTheFinishedRun()
    {
        // Given a finished benchmark run (its config.resolved.yaml writes every section, pretrain: included)
        var directory = runs.Run("class").Directory;
        Metrics("class");

        // When it is loaded back, as a suite does to decide whether a run is finished
        var resolved = Harness.Config.ConfigLoader.Load(Path.Combine(directory, "config.resolved.yaml"));

        // Then it loads, and writes the same YAML again
        Assert.Equal(File.ReadAllText(Path.Combine(directory, "config.resolved.yaml")),
            Harness.Config.ConfigWriter.ToYaml(resolved.Resolved()));
    }
}
