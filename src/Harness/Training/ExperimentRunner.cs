using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Metrics.IO;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// One run, start to end: resolved config → curriculum → tokenizer → base model (pretrained or cached) →
/// <see cref="Trainer"/> → outputs in the run directory.
/// </summary>
internal sealed class ExperimentRunner(TextWriter console, bool interactive)
{
    /// <summary>Where runs go when --out is not given.</summary>
    public string ResultsRoot { get; init; } = RunDirectory.DefaultResultsRoot;

    /// <summary>Where pretrained bases are cached (results/.cache).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Runs <paramref name="loaded"/> into <paramref name="outDirectory"/> (or a new folder); returns the run folder.</summary>
    public string Run(LoadedConfig loaded, string? outDirectory)
    {
        var clock = Stopwatch.StartNew();
        var config = loaded.Config;
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        var prepared = PreparedRun.Prepare(loaded);
        var cacheDirectory = RunDirectory.CreateCache(CacheDirectory ?? Path.Combine(ResultsRoot, ".cache"));

        var directory = RunDirectory.Create(outDirectory, config, ResultsRoot);
        using var log = new RunLog(console, interactive);
        AtomicFile.WriteAllText(Path.Combine(directory, "config.resolved.yaml"), ConfigWriter.ToYaml(loaded.Resolved()));
        AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer.json"), prepared.Tokenizer.ToJson());
        log.AttachFile(Path.Combine(directory, "train.log"));
        log.Line($"run {config.Name} seed {config.Seed} on {device.type} into {directory}");
        log.Line($"curriculum: {string.Join(" -> ", prepared.Domains.Select(d => $"{d.Id} ({d.Train.Count} train, {d.Test.Count} test)"))}; " +
                 $"strategies: {string.Join(", ", config.Strategies.Select(s => s.Type))}; vocabulary {prepared.Tokenizer.VocabSize}");

        try
        {
            Train(config, prepared, device, directory, cacheDirectory, log, clock);
        }
        catch (Exception e)
        {
            // The log keeps why a run stopped; metrics.json (written only on success) is absent, so the folder never
            // passes for a finished run.
            log.Line($"failed after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
            throw;
        }
        return directory;
    }

    private void Train(ExperimentConfig config, PreparedRun prepared, Device device, string directory, string cacheDirectory,
        RunLog log, Stopwatch clock)
    {
        torch.manual_seed(config.Seed);
        using var model = new GptModel(config.Model, prepared.Tokenizer.VocabSize);
        model.to(device);
        log.Line($"model: {model.parameters().Sum(p => p.numel())} parameters");
        bool cached = false;
        if (config.Pretrain.Enabled)
            cached = new Pretrainer(config.Pretrain, config, device, log, cacheDirectory).Run(model, prepared.Tokenizer, prepared.Corpus);
        // Reseed so the curriculum trains identically whether the base was just pretrained or loaded from the cache.
        torch.manual_seed(config.Seed + 1);

        var plugins = StrategyFactory.Create(config, prepared.Tokenizer);
        try
        {
            double calibrationBefore = CalibrationWorkload.Measure(device);
            var evaluator = new Evaluator(prepared.Tokenizer, device, config.Evaluation.BatchSize, config.Evaluation.TokenAccuracy);
            using var board = TrainingBoard.Open(directory);
            var result = new Trainer(model, device, plugins, evaluator, log, config, board).Run(prepared.Domains, prepared.TrainSamples);

            // Measured before and after training; the better of the two, as within each (see CalibrationWorkload).
            double calibration = Math.Max(calibrationBefore, CalibrationWorkload.Measure(device));
            log.FileOnly($"calibration: {calibration:F1} GFLOP/s (fp32 512x512 matrix product)");
            var report = new JsonObject();
            foreach (var plugin in plugins) plugin.Report(report);
            ModelFile.Save(model, Path.Combine(directory, "model.pt"));
            foreach (var plugin in plugins) plugin.WriteOutputs(directory);
            var metrics = RunOutputs.Write(directory, config, result, device.type.ToString().ToLowerInvariant(), clock.Elapsed.TotalSeconds, report, cached, calibration);
            board.Final(metrics, result.ExactMatch.Rows - 1);
            RunOutputs.Commit(directory, metrics);
            log.Line($"done in {clock.Elapsed.TotalSeconds:F1} s: {directory}");
            console.WriteLine(RunOutputs.Summary(result.ExactMatch));
        }
        finally
        {
            plugins.DisposeAll();
        }
    }
}
