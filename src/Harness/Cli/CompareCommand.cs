using System.Globalization;
using Harness.Config;
using Harness.Training;
using Harness.Metrics.Reports;

namespace Harness.Cli;

/// <summary>
/// <c>compare DIR... [--out DIR]</c>: the suite report for any set of runs. Each DIR is a run folder or any folder
/// holding run folders (a suite, a config's results). Runs are grouped into variants by their name (a suite names its
/// runs after their variant); when the same name comes from two different DIRs, each DIR's folder name prefixes it,
/// so two nights of one suite compare side by side.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Parses <paramref name="args"/> (everything after <c>compare</c>) and writes the comparison.</summary>
    public static int Run(string[] args, TextWriter stdout)
    {
        var line = CommandLine.Parse("compare", args, ["--out"]);
        if (line.Positionals.Count == 0) throw new HarnessInputException("compare needs at least one run or suite folder (see ./run.sh --help)");
        var found = new List<(string Source, RunRecord Run)>();
        var incomplete = new List<IncompleteRun>();
        var seen = new HashSet<string>();
        foreach (var source in line.Positionals)
        {
            if (!Directory.Exists(source)) throw new HarnessInputException($"compare: {source}: no such folder");
            var folders = RunFolders(source).ToList();
            if (folders.Count == 0) throw new HarnessInputException($"compare: {source}: holds no run (no metrics.json or train.log below it)");
            // Overlapping arguments (a suite and one of its runs) must not count a run twice: n and std would lie.
            foreach (var folder in folders.Where(f => seen.Add(Path.GetFullPath(f))))
            {
                if (RunRecord.ReadCompleted(folder, out var reason) is { } record) found.Add((source, record));
                else incomplete.Add(new IncompleteRun(Path.GetFileName(folder), null, folder, reason!));
            }
        }
        if (found.Count == 0) throw new HarnessInputException("compare: none of the given folders holds a finished run");

        // A name found under two arguments is prefixed with the argument's folder name, or the argument as given when
        // two arguments share a folder name (results/a/nightly and results/b/nightly).
        var sourcesPerName = found.GroupBy(f => f.Run.Name).ToDictionary(g => g.Key, g => g.Select(f => f.Source).Distinct().Count());
        var folderNames = line.Positionals.Distinct().ToDictionary(p => p, p => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))));
        string Prefix(string source) => folderNames.Values.Count(n => n == folderNames[source]) > 1
            ? Path.TrimEndingDirectorySeparator(source)
            : folderNames[source];
        string Label(string source, RunRecord run) => sourcesPerName[run.Name] > 1 ? $"{Prefix(source)}/{run.Name}" : run.Name;
        var groups = found.GroupBy(f => Label(f.Source, f.Run))
            .Select(g => (g.Key, (IReadOnlyList<RunRecord>)g.Select(f => f.Run).OrderBy(r => r.Seed).ToList()))
            .ToList();
        SuiteSummary summary;
        try
        {
            summary = SummaryAggregator.Aggregate("comparison", groups, incomplete);
        }
        catch (ArgumentException e)
        {
            throw new HarnessInputException($"compare: {e.Message}");
        }

        var outDirectory = line.Value("--out")
                           ?? Path.Combine(RunDirectory.DefaultResultsRoot, "compare", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        ComparisonReport.Write(summary, outDirectory);
        stdout.WriteLine($"compared {found.Count} runs in {summary.Variants.Count} variants " +
                         $"({string.Join(", ", summary.Variants.Select(v => $"{v.Label} n={v.Runs.Count}"))}); " +
                         $"{incomplete.Count} unfinished left out");
        stdout.WriteLine($"report: {Path.Combine(outDirectory, ComparisonReport.Html)}");
        return 0;
    }

    /// <summary>
    /// <paramref name="root"/> itself if it is a run folder, else every run folder below it (a folder with metrics.json
    /// or train.log), not descending into runs or hidden folders (the pretraining cache).
    /// </summary>
    private static IEnumerable<string> RunFolders(string root)
    {
        if (IsRun(root))
        {
            yield return root;
            yield break;
        }
        foreach (var child in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(child).StartsWith('.')) continue;
            foreach (var run in RunFolders(child)) yield return run;
        }
    }

    private static bool IsRun(string folder) =>
        File.Exists(Path.Combine(folder, RunRecord.MetricsFile)) || File.Exists(Path.Combine(folder, "train.log"));
}
