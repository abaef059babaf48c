using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Benchmarks;
using Harness.Config;
using Harness.Metrics.Reports;
using Harness.Training;

namespace Harness.Experiments;

/// <summary>
/// Runs every (variant, seed) of a suite into <c>&lt;suite folder&gt;/&lt;variant&gt;/s&lt;seed&gt;/</c>, one after the
/// other in this process, then writes the suite report. A run whose folder already holds a completed run of the same
/// resolved config is skipped, and an unfinished one with a checkpoint is resumed from it, so an interrupted suite
/// continues where it stopped; a run whose config changed since is run again, and one another process is running is
/// left alone. One failing run does not stop the others; a signal stops the suite.
/// </summary>
internal sealed class SuiteRunner(TextWriter console, bool interactive)
{
    /// <summary>Where runs go when the suite has no --out: results/&lt;suite name&gt;.</summary>
    public string ResultsRoot { get; init; } = RunDirectory.DefaultResultsRoot;

    /// <summary>SIGINT/SIGTERM: the current run stops as <c>interrupted</c> and the suite stops with it.</summary>
    public StopSignal? Stop { get; init; }

    /// <summary>The suite's folder: --out, or results/&lt;suite name&gt;.</summary>
    public string FolderOf(SuiteDefinition suite, SuiteOptions options) =>
        Path.GetFullPath(options.OutDirectory ?? Path.Combine(ResultsRoot, suite.Name));

    /// <summary>
    /// Runs the selected part of <paramref name="suite"/> (one shard of it with --shard, nothing with --report-only),
    /// then writes the report over every finished run in the suite's folder, except for a shard, whose report is left
    /// to one --report-only merge once every shard has ended. Returns the suite folder and what happened: the runs that
    /// failed now, or for --report-only every selected run the report lacks.
    /// </summary>
    public SuiteOutcome Run(SuiteDefinition suite, SuiteOptions options)
    {
        var root = FolderOf(suite, options);
        var pairs = SuitePlan.Pairs(suite, options);
        Directory.CreateDirectory(root);
        var mine = pairs.Where(p => !options.ReportOnly && (options.Shard?.Includes(p.Index) ?? true)).ToList();
        var (ran, skipped, failed) = RunPairs(suite, root, options, mine);
        var counts = $"{ran} run, {skipped} skipped (already finished), {failed.Count} failed";
        if (options.Shard is { } shard)
        {
            console.WriteLine($"suite {suite.Name} shard {shard}: {mine.Count} of {pairs.Count} runs: {counts}; the report is written by `suite --report-only` once every shard has ended");
            return new SuiteOutcome(root, null, failed);
        }

        var seeds = SuitePlan.ReportSeeds(suite, options);
        var summary = Summarize(suite, root, seeds, options.Device);
        var table = Table(suite, summary, seeds.Count);
        ComparisonReport.Write(summary, root, table);
        var report = Path.Combine(root, ComparisonReport.Html);
        if (options.ReportOnly)
        {
            // A merge's failures are the selected runs the report lacks, whatever stopped them.
            failed = summary.Incomplete.Where(r => pairs.Any(p => p.Variant.Label == r.Variant && p.Seed == r.Seed)).ToList();
            console.WriteLine($"suite {suite.Name}: report over {pairs.Count - failed.Count} of {pairs.Count} runs, {failed.Count} incomplete; report: {report}");
        }
        else console.WriteLine($"suite {suite.Name}: {counts}; report: {report}");
        if (table is not null) console.Write($"\n{ResultTableFiles.ToMarkdown(table)}");
        return new SuiteOutcome(root, summary, failed);
    }

    /// <summary>Runs <paramref name="pairs"/> one after the other; returns how many ran, were skipped, and which failed.</summary>
    private (int Ran, int Skipped, List<IncompleteRun> Failed) RunPairs(SuiteDefinition suite, string root, SuiteOptions options, IReadOnlyList<SuitePair> pairs)
    {
        // Every config is loaded before the first run, so a bad one costs nothing.
        var plan = pairs.Select(p => (p.Variant, p.Seed, Config: ConfigOf(p.Variant, p.Seed, options.Device))).ToList();
        var failed = new List<IncompleteRun>();
        int ran = 0, skipped = 0;
        using var images = new ImageDataCache(); // image benchmarks: data read and put on the device once for all runs
        for (int i = 0; i < plan.Count; i++)
        {
            var (variant, seed, loaded) = plan[i];
            var directory = RunFolder(root, variant.Label, seed);
            var header = $"suite {suite.Name}: run {i + 1}/{plan.Count} {variant.Label} seed {seed}";
            Stop?.ThrowIfRequested($"suite {suite.Name} before run {i + 1}/{plan.Count}");
            var state = Status(directory, loaded);
            switch (state)
            {
                case RunFolderState.Finished:
                    console.WriteLine($"{header}: already finished in {directory}, skipped");
                    skipped++;
                    continue;
                case RunFolderState.Busy:
                    console.WriteLine($"{header}: another process is running it in {directory}; left alone");
                    failed.Add(new IncompleteRun(variant.Label, seed, directory, "running in another process"));
                    continue;
                case RunFolderState.Resumable:
                    console.WriteLine($"{header}: unfinished, resuming from its checkpoint");
                    break;
                case RunFolderState.Stale stale:
                    console.WriteLine($"{header}: {stale.Reason}; running it again");
                    ClearRunFolder(directory);
                    break;
                default:
                    console.WriteLine(header);
                    break;
            }
            try
            {
                var runner = new ExperimentRunner(console, interactive) { ResultsRoot = ResultsRoot, CacheDirectory = options.CacheDirectory, Images = images, Stop = Stop };
                if (state is RunFolderState.Resumable) runner.Resume(loaded, directory);
                else runner.Run(loaded, directory);
                ran++;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not RunInterruptedException)
            {
                // A run that fails (bad data found late, a numerical blow-up) must not cost the rest of the suite.
                console.WriteLine($"{header}: FAILED: {e.Message}");
                failed.Add(new IncompleteRun(variant.Label, seed, directory, $"failed: {e.Message}"));
            }
        }
        return (ran, skipped, failed);
    }

    /// <summary>
    /// The suite's summary over every variant and seed it declares that has a completed run of its current config in
    /// <paramref name="root"/> (so running one variant with --only still refreshes the whole report); the others —
    /// not run, unfinished, or run with a config that has changed since — are listed as incomplete, never averaged in.
    /// </summary>
    public static SuiteSummary Summarize(SuiteDefinition suite, string root, IReadOnlyList<int> seeds, string? device)
    {
        var groups = new List<(string, IReadOnlyList<RunRecord>)>();
        var incomplete = new List<IncompleteRun>();
        foreach (var variant in suite.Variants)
        {
            var runs = new List<RunRecord>();
            foreach (var seed in seeds)
            {
                var directory = RunFolder(root, variant.Label, seed);
                var state = Status(directory, ConfigOf(variant, seed, device));
                string? reason = state switch
                {
                    RunFolderState.Empty => "not run",
                    RunFolderState.Resumable => $"{WhyUnfinished(directory)}; resumable from its checkpoint: run or submit the suite again",
                    RunFolderState.Busy => "running in another process",
                    RunFolderState.Stale stale => stale.Reason,
                    _ => null,
                };
                if (reason is null && RunRecord.ReadCompleted(directory, out reason) is { } record) runs.Add(record);
                else incomplete.Add(new IncompleteRun(variant.Label, seed, directory, reason!));
            }
            groups.Add((variant.Label, runs));
        }
        try
        {
            return SummaryAggregator.Aggregate(suite.Name, groups, incomplete);
        }
        catch (ArgumentException e)
        {
            throw new HarnessInputException($"{root}: {e.Message}");
        }
    }

    /// <summary>The suite's results table over <paramref name="summary"/>, or null when the suite declares none.</summary>
    public static ResultTable? Table(SuiteDefinition suite, SuiteSummary summary, int seeds)
    {
        if (suite.Table is not { } layout) return null;
        try
        {
            return ResultTable.Build(summary, layout, seeds);
        }
        catch (ArgumentException e)
        {
            throw new HarnessInputException($"{suite.File}: {e.Message}");
        }
    }

    /// <summary>The folder of one run of a suite.</summary>
    public static string RunFolder(string root, string label, int seed) => Path.Combine(root, label, $"s{seed}");

    /// <summary>The config one run of the suite trains: the variant's, with the seed and the --device override.</summary>
    public static LoadedConfig ConfigOf(SuiteVariant variant, int seed, string? device) =>
        SuiteDefinition.LoadConfig(variant, seed).WithOverrides(null, device);

    /// <summary>
    /// Whether a run folder holds a finished run of exactly this config, something to redo, or nothing. The device is
    /// left out of the comparison: a run is the same experiment on CPU or CUDA, so --device does not redo a suite.
    /// </summary>
    internal static RunFolderState Status(string directory, LoadedConfig loaded)
    {
        if (!Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any() || RunFolderLock.OnlyStaleLock(directory))
            return new RunFolderState.Empty();
        if (RunFolderLock.IsHeld(directory)) return new RunFolderState.Busy();
        if (!RunRecord.IsCompleted(directory))
            return File.Exists(RunCheckpoint.PathIn(directory)) && SameConfig(directory, loaded)
                ? new RunFolderState.Resumable()
                : new RunFolderState.Stale($"{WhyUnfinished(directory)}, with no checkpoint of this config");
        return SameConfig(directory, loaded)
            ? new RunFolderState.Finished()
            : new RunFolderState.Stale("its config changed since it finished");
    }

    /// <summary>
    /// What stopped the unfinished run in <paramref name="directory"/>, as its metrics.json tells: the error of a failed
    /// run, the signal of an interrupted one; a run still marked running that no process holds was killed without a
    /// word (on a cluster: usually the job's time or memory limit; its Slurm log says which).
    /// </summary>
    private static string WhyUnfinished(string directory)
    {
        try
        {
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, RunRecord.MetricsFile)));
            var error = metrics?["error"]?.GetValue<string>();
            return metrics?["status"]?.GetValue<string>() switch
            {
                "failed" => $"failed: {error}",
                "interrupted" => $"interrupted: {error}",
                "running" => "killed while running (out of time or memory?)",
                var status => $"status {status}",
            };
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return "did not finish (no readable metrics.json)";
        }
    }

    /// <summary>Whether the run in <paramref name="directory"/> was made with exactly <paramref name="loaded"/>'s config.</summary>
    private static bool SameConfig(string directory, LoadedConfig loaded)
    {
        try
        {
            return ResumeCheck.ConfigDifference(loaded, Path.Combine(directory, "config.resolved.yaml")) is null;
        }
        catch (HarnessInputException)
        {
            return false; // an unreadable resolved config cannot prove the run is this config's: redo it
        }
    }

    /// <summary>Empties a suite's run folder before a rerun, refusing folders that do not look like a run's.</summary>
    private static void ClearRunFolder(string directory)
    {
        var looksLikeRun = File.Exists(Path.Combine(directory, "train.log")) || File.Exists(Path.Combine(directory, "config.resolved.yaml"));
        if (!looksLikeRun)
            throw new HarnessInputException($"{directory}: holds files that are not a Harness run; move them away (the suite will not delete them)");
        Directory.Delete(directory, recursive: true);
    }
}
