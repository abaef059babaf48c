using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Metrics;
using Harness.Metrics.IO;
using Harness.Metrics.Plots;
using Harness.Slurm;
using TorchSharp;

namespace Harness.Training;

/// <summary>
/// Writes a finished run's files: matrices as CSV, the heatmap and the forgetting curves, and last metrics.json
/// (<see cref="Commit"/>), whose status "completed" is what marks a run folder as finished.
/// </summary>
internal static class RunOutputs
{
    /// <summary>
    /// Writes every output of <paramref name="result"/> into <paramref name="directory"/> but metrics.json, whose content
    /// it returns; <see cref="Commit"/> writes it once everything else of the run is on disk.
    /// </summary>
    public static JsonObject Write(string directory, ExperimentConfig config, TrainingResult result, string device,
        double wallSeconds, JsonObject strategyReport, bool pretrainCached, double calibrationGflops)
    {
        result.ExactMatch.WriteCsv(Path.Combine(directory, "accuracy_matrix.csv"));
        result.TokenAccuracy?.WriteCsv(Path.Combine(directory, "token_accuracy_matrix.csv"));
        result.Heldout?.WriteCsv(Path.Combine(directory, "heldout_accuracy_matrix.csv"));

        var metrics = new JsonObject
        {
            ["status"] = "completed",
            ["name"] = config.Name,
            ["domains"] = new JsonArray(result.ExactMatch.Domains.Select(d => (JsonNode?)d).ToArray()),
            ["stages"] = new JsonArray(result.ExactMatch.Stages.Select(s => (JsonNode?)s).ToArray()),
            ["accuracy_matrix"] = MatrixJson(result.ExactMatch),
        };
        ContinualMetrics.WriteTo(ContinualMetrics.Compute(result.ExactMatch), metrics);
        metrics["token_accuracy_matrix"] = result.TokenAccuracy is null ? null : MatrixJson(result.TokenAccuracy);
        metrics["heldout"] = result.Heldout is null ? null : new JsonObject
        {
            ["domains"] = new JsonArray(result.Heldout.Domains.Select(d => (JsonNode?)d).ToArray()),
            ["accuracy_matrix"] = MatrixJson(result.Heldout),
        };
        // The accuracy matrix above is measured through the router; this says how often it chose the right adapter.
        metrics["router_accuracy"] = result.RouterAccuracy is null ? null : new JsonObject
        {
            ["final"] = new JsonObject(result.RouterAccuracy.Domains.Select((d, j) =>
                KeyValuePair.Create(d, (JsonNode?)Math.Round(result.RouterAccuracy[result.RouterAccuracy.Stages.Count - 1, j], 4)))),
            ["matrix"] = MatrixJson(result.RouterAccuracy),
        };
        metrics["wall_seconds"] = Math.Round(wallSeconds, 2);
        metrics["training_seconds"] = Math.Round(result.TrainingSeconds, 2);
        metrics["tokens_per_second"] = Math.Round(result.TrainedTokens / Math.Max(1e-9, result.TrainingSeconds), 1);
        metrics["trained_tokens"] = result.TrainedTokens;
        // Throughput per unit of this machine's matrix speed, measured in the same run (see CalibrationWorkload).
        metrics["calibration_gflops"] = Math.Round(calibrationGflops, 2);
        metrics["normalized_tokens_per_second"] =
            Math.Round(result.TrainedTokens / Math.Max(1e-9, result.TrainingSeconds) / Math.Max(1e-9, calibrationGflops), 3);
        metrics["seed"] = config.Seed;
        metrics["device"] = device;
        metrics["cpu_threads"] = torch.get_num_threads(); // CPU results are bit-identical only at the same thread count
        if (SlurmAllocation.Job(Environment.GetEnvironmentVariable) is { } job) metrics["slurm_job"] = job;
        metrics["strategies"] = new JsonArray(config.Strategies.Select(s => (JsonNode?)s.Type).ToArray());
        metrics["strategy_report"] = strategyReport;
        metrics["pretrain_cached"] = pretrainCached;
        metrics["loss_curve"] = new JsonArray(result.LossCurve
            .Select(p => (JsonNode?)new JsonArray(p.Step, Math.Round(p.Loss, 5))).ToArray());
        metrics["versions"] = Versions();
        AccuracyMatrixPlot.Save(result.ExactMatch, Path.Combine(directory, "accuracy_matrix.png"),
            $"{config.Name} (seed {config.Seed}): exact-match accuracy");
        ForgettingCurvesPlot.Save(result.ExactMatch, Path.Combine(directory, "forgetting_curves.png"),
            $"{config.Name} (seed {config.Seed}): accuracy per domain across stages");
        return metrics;
    }

    /// <summary>Writes metrics.json, the file that marks the run finished: the last file a run writes.</summary>
    public static void Commit(string directory, JsonObject metrics) =>
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.json"),
            metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>The matrix and its metrics as the console summary shows them.</summary>
    public static string Summary(AccuracyMatrix matrix)
    {
        var sb = new StringBuilder();
        int labelWidth = Math.Max(7, matrix.Stages.Max(s => s.Length));
        sb.Append("stage".PadRight(labelWidth));
        foreach (var d in matrix.Domains) sb.Append("  ").Append(d.PadLeft(Math.Max(6, d.Length)));
        sb.AppendLine();
        for (int r = 0; r < matrix.Rows; r++)
        {
            sb.Append(matrix.Stages[r].PadRight(labelWidth));
            for (int c = 0; c < matrix.Columns; c++)
                sb.Append("  ").Append(matrix[r, c].ToString("F3", CultureInfo.InvariantCulture).PadLeft(Math.Max(6, matrix.Domains[c].Length)));
            sb.AppendLine();
        }
        var m = ContinualMetrics.Compute(matrix);
        static string F(double? v) => v is null ? "n/a" : v.Value.ToString("F3", CultureInfo.InvariantCulture);
        sb.Append(CultureInfo.InvariantCulture,
            $"acc {F(m.Acc)}  bwt {F(m.Bwt)}  fwt {F(m.Fwt)}  avg_forgetting {F(m.AvgForgetting)}  learning_accuracy {F(m.LearningAccuracy)}");
        return sb.ToString();
    }

    /// <summary>A matrix's rows as JSON arrays, values rounded to 6 decimals (metrics.json).</summary>
    public static JsonArray MatrixJson(AccuracyMatrix m) =>
        new(Enumerable.Range(0, m.Rows)
            .Select(r => (JsonNode?)new JsonArray(m.Row(r).Select(v => (JsonNode?)Math.Round(v, 6)).ToArray())).ToArray());

    private static JsonObject Versions()
    {
        var harness = typeof(RunOutputs).Assembly;
        return new JsonObject
        {
            ["harness"] = harness.GetName().Version?.ToString(),
            ["dotnet"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["torchsharp"] = BuildInfo.Metadata("TorchSharpVersion"),
            ["libtorch"] = BuildInfo.Metadata("LibTorchVersion"),
            ["torch_backend"] = BuildInfo.TorchBackend,
            ["yamldotnet"] = typeof(YamlDotNet.Core.Parser).Assembly.GetName().Version?.ToString(),
            ["microsoft_ml_tokenizers"] = typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly.GetName().Version?.ToString(),
            ["scottplot"] = typeof(ScottPlot.Plot).Assembly.GetName().Version?.ToString(),
        };
    }
}
