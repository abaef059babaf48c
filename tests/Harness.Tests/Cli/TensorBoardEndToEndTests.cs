using System.Text.Json.Nodes;
using Harness.Metrics;
using Harness.Metrics.IO;

namespace Harness.Tests.Cli;

/// <summary>
/// A tiny run writes TensorBoard scalars next to its other outputs, and they say the same as metrics.json and the
/// accuracy matrix.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TensorBoardEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Run_TinyConfig_TensorBoardScalarsMatchMetricsJsonAndTheMatrix()
    {
        // Given the tiny two-domain config from random weights, trained long enough to learn and forget (so the
        // matrix is not all zeros), logging the loss every 10 steps
        var config = TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(pretrain: "none",
            training: "{batch_size: 8, epochs: 20, lr: 0.01, log_every: 10}"));
        var run = _dir.File("run");

        // When it runs
        var result = CliResult.Run(config, "--out", run, "--cache-dir", _dir.File("cache"), "--device", "cpu");

        // Then its tensorboard folder holds one complete event file
        Assert.True(result.ExitCode == 0, result.ToString());
        var eventFile = Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard")));
        Assert.StartsWith(TensorBoardEventWriter.FilePrefix, Path.GetFileName(eventFile));
        var board = TensorBoardEventReader.Read(eventFile);
        Assert.Null(board.TruncatedTailOffset);
        Assert.Equal(TensorBoardEventWriter.FileVersion, board.Events[0].FileVersion);

        // And train/loss has the points of metrics.json's loss_curve (rounded there to 5 decimals)
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!.AsObject();
        var lossCurve = metrics["loss_curve"]!.AsArray()
            .Select(p => (Step: p![0]!.GetValue<long>(), Loss: p[1]!.GetValue<double>())).ToList();
        var loss = board.Scalars("train/loss");
        Assert.True(lossCurve.Count >= 4, $"only {lossCurve.Count} loss points");
        Assert.Equal(lossCurve.Select(p => p.Step), loss.Select(p => p.Step));
        Assert.All(lossCurve.Zip(loss), pair => Assert.Equal(pair.First.Loss, pair.Second.Value, 5e-6 + 1e-6 * pair.First.Loss));

        // And accuracy/<domain> is the accuracy matrix column, one point per row, as a float
        var matrix = AccuracyMatrix.ReadCsv(Path.Combine(run, "accuracy_matrix.csv"));
        Assert.Equal(3, matrix.Rows);
        Assert.True(Enumerable.Range(0, 3).SelectMany(r => matrix.Row(r)).Distinct().Count() >= 3, matrix.ToCsv());
        foreach (var (domain, c) in matrix.Domains.Select((d, c) => (d, c)))
        {
            var expected = Enumerable.Range(0, matrix.Rows).Select(r => ((long)r, (float)matrix[r, c]));
            Assert.Equal(expected, board.Scalars($"accuracy/{domain}"));
        }

        // And average_accuracy averages the domains trained so far: row 1 is math alone, row 2 math and words
        Assert.Equal(
            [(1L, (float)matrix[1, 0]), (2L, (float)((matrix[2, 0] + matrix[2, 1]) / 2))],
            board.Scalars("average_accuracy"));

        // And the final metrics sit at step 2 (two stages); bwt and fwt are defined for two sequential domains
        Assert.Equal([(2L, (float)metrics["acc"]!.GetValue<double>())], board.Scalars("final/acc"));
        Assert.Equal([(2L, (float)metrics["bwt"]!.GetValue<double>())], board.Scalars("final/bwt"));
        Assert.Equal([(2L, (float)metrics["wall_seconds"]!.GetValue<double>())], board.Scalars("final/wall_seconds"));
        Assert.Equal(
            ["final/acc", "final/bwt", "final/fwt", "final/avg_forgetting", "final/learning_accuracy",
                "final/tokens_per_second", "final/normalized_tokens_per_second", "final/wall_seconds"],
            board.Tags.Where(t => t.StartsWith("final/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_Joint_AverageAccuracyIsTheMeanOfTheJointRowAndNullMetricsAreSkipped()
    {
        // Given the tiny config trained jointly (one stage, so bwt, fwt and forgetting are null)
        var config = TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(pretrain: "none", strategies: "  - type: joint",
            training: "{batch_size: 8, epochs: 1, lr: 0.003, log_every: 4}"));
        var run = _dir.File("joint");

        // When it runs
        var result = CliResult.Run(config, "--out", run, "--cache-dir", _dir.File("cache"), "--device", "cpu");

        // Then average_accuracy has one point, the mean of the joint row, and final/ leaves out the null metrics
        Assert.True(result.ExitCode == 0, result.ToString());
        var board = TensorBoardEventReader.Read(Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard"))));
        var matrix = AccuracyMatrix.ReadCsv(Path.Combine(run, "accuracy_matrix.csv"));
        Assert.Equal([(1L, (float)((matrix[1, 0] + matrix[1, 1]) / 2))], board.Scalars("average_accuracy"));
        Assert.Equal(
            ["final/acc", "final/learning_accuracy", "final/tokens_per_second", "final/normalized_tokens_per_second", "final/wall_seconds"],
            board.Tags.Where(t => t.StartsWith("final/", StringComparison.Ordinal)));
        Assert.All(board.Scalars("final/acc"), p => Assert.Equal(1L, p.Step));
    }
}
