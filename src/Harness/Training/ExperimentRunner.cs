using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Benchmarks;
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

    /// <summary>Image data shared by the runs of a suite (read and moved to the device once); null = one per run.</summary>
    public ImageDataCache? Images { get; init; }

    /// <summary>Runs <paramref name="loaded"/> into <paramref name="outDirectory"/> (or a new folder); returns the run folder.</summary>
    public string Run(LoadedConfig loaded, string? outDirectory)
    {
        var clock = Stopwatch.StartNew();
        var config = loaded.Config;
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        var device = DeviceSelector.Resolve(config.Device);
        if (config.Benchmark is not null)
        {
            var ownImages = Images is null ? new ImageDataCache() : null;
            try
            {
                using var benchmark = ImageBenchmark.Prepare(loaded, Images ?? ownImages!, device);
                return RunBenchmark(loaded, benchmark, device, outDirectory, clock);
            }
            finally
            {
                ownImages?.Dispose();
            }
        }
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
        return Logged(log, clock, () =>
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
            var curriculum = new CurriculumSamples(prepared.Domains.Select(d => d.Id).ToList(), prepared.TrainSamples,
                config.Curriculum.Select(d => d.Epochs ?? config.Training.Epochs).ToList());
            var evaluator = new Evaluator(prepared.Tokenizer, device, config.Evaluation.BatchSize, config.Evaluation.TokenAccuracy);
            TrainAndWrite(config, model, curriculum, plugins => new TextEvaluation(evaluator, prepared.Domains, plugins),
                prepared.Tokenizer, device, directory, log, clock, cached);
        }, directory);
    }

    /// <summary>An image benchmark run: the MLP over the benchmark's tasks, no tokenizer and no pretraining.</summary>
    private string RunBenchmark(LoadedConfig loaded, ImageBenchmark benchmark, Device device, string? outDirectory, Stopwatch clock)
    {
        var config = loaded.Config;
        var directory = RunDirectory.Create(outDirectory, config, ResultsRoot);
        using var log = new RunLog(console, interactive);
        AtomicFile.WriteAllText(Path.Combine(directory, "config.resolved.yaml"), ConfigWriter.ToYaml(loaded.Resolved()));
        log.AttachFile(Path.Combine(directory, "train.log"));
        log.Line($"run {config.Name} seed {config.Seed} on {device.type} into {directory}");
        log.Line($"benchmark {config.Benchmark!.Name}, {config.Benchmark.Scenario}-incremental, {benchmark.Outputs} outputs: " +
                 string.Join(" -> ", benchmark.Tasks.Select((t, i) => $"{t.Id} ({benchmark.Curriculum.Train[i].Count} train, {benchmark.Scored[i].Count} scored)")) +
                 $"; strategies: {string.Join(", ", config.Strategies.Select(s => s.Type))}");
        return Logged(log, clock, () =>
        {
            torch.manual_seed(config.Seed);
            using var model = new MlpClassifier(benchmark.Features, config.Model.Hidden, benchmark.Outputs);
            model.to(device);
            log.Line($"model: {model.parameters().Sum(p => p.numel())} parameters");
            torch.manual_seed(config.Seed + 1);
            TrainAndWrite(config, model, benchmark.Curriculum, _ => new ImageEvaluation(benchmark.Scored, device, config.Evaluation.BatchSize),
                null, device, directory, log, clock, cached: false);
        }, directory);
    }

    /// <summary>Runs <paramref name="train"/>; if it fails, the log keeps why before the error goes on.</summary>
    private static string Logged(RunLog log, Stopwatch clock, Action train, string directory)
    {
        try
        {
            train();
        }
        catch (Exception e)
        {
            // metrics.json (written only on success) is absent, so the folder never passes for a finished run.
            log.Line($"failed after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
            throw;
        }
        return directory;
    }

    /// <summary>The part every run shares: plugins, calibration, the trainer, and the run's outputs.</summary>
    private void TrainAndWrite(ExperimentConfig config, ContinualModel model, CurriculumSamples curriculum,
        Func<IReadOnlyList<IStrategyPlugin>, IDomainEvaluation> evaluationFor, ITextTokenizer? tokenizer, Device device,
        string directory, RunLog log, Stopwatch clock, bool cached)
    {
        var plugins = StrategyFactory.Create(config, tokenizer);
        try
        {
            double calibrationBefore = CalibrationWorkload.Measure(device);
            using var board = TrainingBoard.Open(directory);
            var result = new Trainer(model, device, plugins, evaluationFor(plugins), log, config, board).Run(curriculum);

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
