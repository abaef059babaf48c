using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Benchmarks;
using Harness.Config;
using Harness.Data;
using Harness.Metrics.IO;
using Harness.Metrics.Reports;
using Harness.Models;
using Harness.Slurm;
using Harness.Strategies;
using Harness.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// One run, start to end: resolved config → curriculum → tokenizer → base model (pretrained or cached) →
/// <see cref="Trainer"/> → outputs in the run directory. The run claims its folder (<see cref="RunFolderLock"/>), keeps
/// metrics.json's status current (<see cref="RunStatusFile"/>) and writes a checkpoint after every stage
/// (<see cref="RunCheckpoint"/>); <see cref="Resume"/> continues a run that did not finish from its checkpoint.
/// </summary>
internal sealed class ExperimentRunner(TextWriter console, bool interactive)
{
    /// <summary>Where runs go when --out is not given.</summary>
    public string ResultsRoot { get; init; } = RunDirectory.DefaultResultsRoot;

    /// <summary>Where pretrained bases are cached (results/.cache).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Image data shared by the runs of a suite (read and moved to the device once); null = one per run.</summary>
    public ImageDataCache? Images { get; init; }

    /// <summary>SIGINT/SIGTERM: the run stops after its current step, as <c>interrupted</c>; null = never.</summary>
    public StopSignal? Stop { get; init; }

    /// <summary>Runs <paramref name="loaded"/> into <paramref name="outDirectory"/> (or a new folder); returns the run folder.</summary>
    public string Run(LoadedConfig loaded, string? outDirectory) => Execute(loaded, outDirectory, resumeDirectory: null);

    /// <summary>
    /// Continues the unfinished run in <paramref name="runDirectory"/> after its last finished stage; on the CPU the
    /// result is bit-identical to an uninterrupted run. The config must be the run's own.
    /// </summary>
    public string Resume(LoadedConfig loaded, string runDirectory) => Execute(loaded, null, runDirectory);

    private string Execute(LoadedConfig loaded, string? outDirectory, string? resumeDirectory)
    {
        var clock = Stopwatch.StartNew();
        var config = loaded.Config;
        int threads = config.Threads > 0 ? config.Threads : SlurmAllocation.Cpus(Environment.GetEnvironmentVariable) ?? 0;
        if (threads > 0) torch.set_num_threads(threads);
        var device = DeviceSelector.Resolve(config.Device);
        if (config.Benchmark is not null)
        {
            var ownImages = Images is null ? new ImageDataCache() : null;
            try
            {
                using var benchmark = ImageBenchmark.Prepare(loaded, Images ?? ownImages!, device);
                var work = new RunWork(
                    benchmark.Curriculum,
                    MemoryEstimate.For(config, benchmark.Features, benchmark.Outputs, benchmark.DataBytes),
                    [
                        $"benchmark {benchmark.Description}; strategies: {string.Join(", ", config.Strategies.Select(s => s.Type))}",
                    ],
                    () => new MlpClassifier(benchmark.Features, config.Model.Hidden, benchmark.Outputs),
                    (_, _) => false,
                    _ => new ImageEvaluation(benchmark.Scored, device, config.Evaluation.BatchSize),
                    Tokenizer: null,
                    CurriculumDigest.Of(benchmark.Curriculum, benchmark.Scored.SelectMany((task, t) =>
                        task.Select(s => $"{t} {s.Image!.Row} {s.Image.Target} {s.Image.HeadStart} {s.Image.HeadEnd}"))));
                return Start(loaded, work, device, outDirectory, resumeDirectory, clock);
            }
            finally
            {
                ownImages?.Dispose();
            }
        }
        var prepared = PreparedRun.Prepare(loaded);
        var evaluator = new Evaluator(prepared.Tokenizer, device, config.Evaluation.BatchSize, config.Evaluation.TokenAccuracy);
        var curriculum = new CurriculumSamples(prepared.Domains.Select(d => d.Id).ToList(), prepared.TrainSamples,
            config.Curriculum.Select(d => d.Epochs ?? config.Training.Epochs).ToList());
        var text = new RunWork(
            curriculum,
            MemoryEstimate.For(config, prepared.Tokenizer.VocabSize, prepared.Tokenizer.VocabSize, 0),
            [
                $"curriculum: {string.Join(" -> ", prepared.Domains.Select(d => $"{d.Id} ({d.Train.Count} train, {d.Test.Count} test)"))}; " +
                $"strategies: {string.Join(", ", config.Strategies.Select(s => s.Type))}; vocabulary {prepared.Tokenizer.VocabSize}",
            ],
            () => new GptModel(config.Model, prepared.Tokenizer.VocabSize),
            (model, log) => config.Pretrain.Enabled &&
                            new Pretrainer(config.Pretrain, config, device, log, Cache(), Stop).Run((GptModel)model, prepared.Tokenizer, prepared.Corpus),
            plugins => new TextEvaluation(evaluator, prepared.Domains, plugins),
            prepared.Tokenizer,
            CurriculumDigest.Of(curriculum, prepared.Domains.SelectMany(d =>
                d.Test.Select(p => $"{d.Id} test {p.Prompt}\t{p.Answer}").Concat(d.Heldout.Select(p => $"{d.Id} heldout {p.Prompt}\t{p.Answer}")))));
        return Start(loaded, text, device, outDirectory, resumeDirectory, clock);
    }

    /// <summary>
    /// A resumed run must train on the data it started with: the same curriculum samples (<see cref="CurriculumDigest"/>)
    /// and, for text, the same tokenizer. Checked before anything in the folder is touched.
    /// </summary>
    private static void CheckSameData(RunCheckpoint resume, RunWork work, string directory)
    {
        if (resume.Run["data_digest"]?.GetValue<string>() != work.DataDigest)
            throw new HarnessInputException($"--resume {directory}: the curriculum's data changed since the run started " +
                                            "(a data file edited or replaced); resuming would train another experiment: start a new run");
        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (work.Tokenizer is not null && (!File.Exists(tokenizerPath) || File.ReadAllText(tokenizerPath) != work.Tokenizer.ToJson()))
            throw new HarnessInputException($"{tokenizerPath}: the tokenizer built from the data now differs from the run's; resuming would train another experiment: start a new run");
    }

    /// <summary>The pretrained-base cache folder, created when pretraining first needs it (a refused run creates nothing).</summary>
    private string Cache() => RunDirectory.CreateCache(RunDirectory.CacheFolder(CacheDirectory, ResultsRoot));

    /// <summary>Checks the memory estimate, claims the folder, and trains with status, checkpoints and the outputs.</summary>
    private string Start(LoadedConfig loaded, RunWork work, Device device, string? outDirectory, string? resumeDirectory, Stopwatch clock)
    {
        var config = loaded.Config;
        Stop?.ThrowIfRequested("preparing the data"); // nothing written yet
        double limit = config.Training.MaxMemoryMb > 0 ? config.Training.MaxMemoryMb : MemoryEstimate.DefaultLimitMb();
        if (work.Memory.TotalMb > limit)
            throw loaded.Positions.Error(config.Training, "max_memory_mb",
                string.Create(CultureInfo.InvariantCulture, $"the run needs an estimated {work.Memory.TotalMb:F0} MiB, above the limit of {limit:F0} MiB ({work.Memory.Parts}); ") +
                "shrink the model, batch or buffer, or raise training.max_memory_mb");

        RunCheckpoint? resume = null;
        using var claim = resumeDirectory is null
            ? RunDirectory.Create(outDirectory, config, ResultsRoot)
            : ResumeCheck.Claim(loaded, resumeDirectory, out resume);
        var directory = claim.Directory;
        using var checkpoint = resume;
        if (resume is not null) CheckSameData(resume, work, directory);
        using var log = new RunLog(console, interactive);
        if (resume is null) // a new run, or one that had no checkpoint yet and starts again
        {
            AtomicFile.WriteAllText(Path.Combine(directory, "config.resolved.yaml"), ConfigWriter.ToYaml(loaded.Resolved()));
            if (work.Tokenizer is not null) AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer.json"), work.Tokenizer.ToJson());
        }
        log.AttachFile(Path.Combine(directory, "train.log"));
        var deviceName = device.type.ToString().ToLowerInvariant();
        var status = new RunStatusFile(directory, loaded.Positions.File, config, deviceName);
        if (resume is null) status.Running();
        else status.Resumed(resume, work.Curriculum.DomainIds); // how far it got, until its next stage ends
        int cpuThreads = torch.get_num_threads();
        var on = device.type == DeviceType.CPU ? $"on CPU ({cpuThreads} thread{(cpuThreads == 1 ? "" : "s")})" : $"on {device.type}";
        log.Line(resume is not null ? $"resume {config.Name} seed {config.Seed} {on} in {directory} ({resume.Describe()})"
            : resumeDirectory is not null ? $"resume {config.Name} seed {config.Seed} {on} in {directory}: no checkpoint yet, starting again"
            : $"run {config.Name} seed {config.Seed} {on} into {directory}");
        foreach (var line in work.Description) log.Line(line);
        log.Line(work.Memory.Describe(limit));
        try
        {
            torch.manual_seed(config.Seed);
            using var model = work.NewModel();
            model.to(device);
            log.Line($"model: {model.parameters().Sum(p => p.numel())} parameters");
            // A resumed run takes its weights from the checkpoint, so it never pretrains again.
            bool cached = resume?.Run["pretrain_cached"]?.GetValue<bool>() ?? work.Pretrain(model, log);
            Stop?.ThrowIfRequested("pretraining");
            // Reseed so the curriculum trains identically whether the base was just pretrained or loaded from the cache.
            torch.manual_seed(config.Seed + 1);
            model.SetPrecision(config.Training.Precision); // after pretraining: the cached base is shared, and fp32
            TrainAndWrite(config, model, work, device, directory, log, status, clock, cached, resume);
        }
        catch (RunInterruptedException e)
        {
            log.Line($"{e.Message}: stopped after {clock.Elapsed.TotalSeconds:F1} s; " +
                     (File.Exists(RunCheckpoint.PathIn(directory)) ? $"resume with {ResumeCheck.Hint(loaded.Positions.File, config.Seed, directory)}" : "nothing to resume yet"));
            status.Interrupted(e);
            throw;
        }
        catch (Exception e) when (!RunRecord.IsCompleted(directory)) // a completed run stays completed, whatever fails after
        {
            log.Line($"failed after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
            status.Failed(e);
            throw;
        }
        return directory;
    }

    /// <summary>The part every run shares: plugins, calibration, the trainer with its checkpoints, and the run's outputs.</summary>
    private void TrainAndWrite(ExperimentConfig config, ContinualModel model, RunWork work, Device device, string directory,
        RunLog log, RunStatusFile status, Stopwatch clock, bool cached, RunCheckpoint? resume)
    {
        var plugins = StrategyFactory.Create(config, work.Tokenizer);
        double secondsBefore = resume?.Run["wall_seconds"]?.GetValue<double>() ?? 0; // spent before the last interruption
        int resumes = (resume?.Run["resumes"]?.GetValue<int>() ?? -1) + 1;
        try
        {
            double calibrationBefore = CalibrationWorkload.Measure(device);
            using var board = TrainingBoard.Open(directory);
            var trainer = new Trainer(model, device, plugins, work.EvaluationFor(plugins), log, config, board)
            {
                Stop = Stop,
                StageFinished = snapshot =>
                {
                    RunCheckpoint.Write(directory, snapshot, new JsonObject
                    {
                        ["wall_seconds"] = secondsBefore + clock.Elapsed.TotalSeconds,
                        ["pretrain_cached"] = cached,
                        ["resumes"] = resumes,
                        ["data_digest"] = work.DataDigest,
                    });
                    status.StageFinished(snapshot.CompletedStages, snapshot.StageCount, snapshot.Rows.Exact());
                },
            };
            var result = trainer.Run(work.Curriculum, resume);
            Stop?.ThrowIfRequested("the last evaluation"); // the last checkpoint holds every stage: a resume writes the outputs

            // Measured before and after training; the better of the two, as within each (see CalibrationWorkload).
            double calibration = Math.Max(calibrationBefore, CalibrationWorkload.Measure(device));
            log.FileOnly($"calibration: {calibration:F1} GFLOP/s (fp32 512x512 matrix product)");
            var report = new JsonObject();
            foreach (var plugin in plugins) plugin.Report(report);
            ModelFile.Save(model, Path.Combine(directory, "model.pt"));
            foreach (var plugin in plugins) plugin.WriteOutputs(directory);
            double wall = secondsBefore + clock.Elapsed.TotalSeconds;
            var metrics = RunOutputs.Write(directory, config, result, device.type.ToString().ToLowerInvariant(), wall, report, cached, calibration);
            metrics["resumes"] = resumes;
            metrics["skipped_batches"] = result.SkippedBatches;
            double? peak = HostMemory.PeakResidentMb(); // of this process: a resumed run's earlier processes are not counted
            metrics["peak_rss_mb"] = peak;
            board.Final(metrics, result.ExactMatch.Rows - 1);
            RunOutputs.Commit(directory, metrics);
            File.Delete(RunCheckpoint.PathIn(directory)); // the run is complete: its outputs replace the checkpoint
            var memory = peak is { } mb ? string.Create(CultureInfo.InvariantCulture, $"{mb:F0} MiB") : "unknown";
            log.Line(string.Create(CultureInfo.InvariantCulture, $"done in {wall:F1} s, peak memory {memory}: {directory}"));
            console.WriteLine(RunOutputs.Summary(result.ExactMatch));
        }
        finally
        {
            plugins.DisposeAll();
        }
    }
}
