using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Experiments;
using Harness.Metrics.IO;
using Harness.Metrics.Reports;
using Harness.Slurm;
using Harness.Training;

namespace Harness.Cli;

/// <summary>
/// <c>slurm FILE [suite options] [--partition P] [--account A] [--time T] [--gpus-per-task G] [--cpus-per-task C]
/// [--mem M] [--max-parallel M] [--sbatch OPTION]... [--dry-run]</c>: hands a suite to Slurm as a job array, one run
/// per task, plus a merge job that writes the suite report when the array has ended. Every config is loaded first, on
/// the submitting machine; runs already finished in the suite's folder are left out of the array, so the same command
/// again finishes a partly failed suite. Results, the pretrained-base cache and the Harness build must be on a file
/// system every node sees.
/// </summary>
internal static partial class SlurmCommand
{
    /// <summary>sbatch options the scripts set themselves; given again with --sbatch they would break the task mapping or environment.</summary>
    private static readonly string[] ReservedSbatchOptions = ["--array", "--output", "--error", "--ntasks", "--export", "--dependency", "--wrap", "--chdir", "--parsable"];

    /// <summary>Parses <paramref name="args"/> (everything after <c>slurm</c>), writes the scripts and submits them.</summary>
    public static int Run(string[] args, TextWriter stdout)
    {
        var line = CommandLine.Parse("slurm", args,
            [.. SuiteArguments.ValueOptions, "--partition", "--account", "--time", "--gpus-per-task", "--cpus-per-task", "--mem", "--max-parallel", "--sbatch*"],
            [.. SuiteArguments.Flags, "--dry-run"]);
        var arguments = SuiteArguments.From(line);
        var slurm = Options(line);
        bool dryRun = line.Flag("--dry-run");
        var suite = arguments.LoadSuite();
        // GPUs asked for and none visible must fail the run, not quietly train on the CPU.
        var options = arguments.Options with { Device = arguments.Options.Device ?? (slurm.GpusPerTask > 0 ? "cuda" : null) };
        var runner = new SuiteRunner(stdout, interactive: false);
        var root = runner.FolderOf(suite, options);
        if (root.Any(c => char.IsWhiteSpace(c) || c is '%' or '\\'))
            throw new HarnessInputException($"slurm: the suite folder {root} has white space, '%' or '\\' in its path, which #SBATCH --output cannot hold; choose another --out");
        var slurmFolder = Path.Combine(root, "slurm");
        var logs = Path.Combine(slurmFolder, "logs");

        // Every config loads now, so a bad one fails here instead of in every task after a wait in the queue.
        var pairs = SuitePlan.Pairs(suite, options);
        var states = pairs.Select(p => SuiteRunner.Status(SuiteRunner.RunFolder(root, p.Variant.Label, p.Seed),
            SuiteRunner.ConfigOf(p.Variant, p.Seed, options.Device))).ToList();
        var tasks = pairs.Where(p => states[p.Index] is not (RunFolderState.Finished or RunFolderState.Busy)).Select(p => p.Index).ToList();
        int finished = states.Count(s => s is RunFolderState.Finished), busy = states.Count(s => s is RunFolderState.Busy);
        var plan = $"suite {suite.Name}: {pairs.Count} runs, {finished} finished already, {busy} running in another process, {tasks.Count} to submit";

        var common = SuiteArgumentsFor(suite, options, root, runner.ResultsRoot);
        List<string> merge =
        [
            .. common,
            .. arguments.BaselinePath is { } baseline ? ["--baseline", Path.GetFullPath(baseline)] : Array.Empty<string>(),
            .. arguments.UpdateBaseline ? ["--update-baseline"] : Array.Empty<string>(),
        ];
        var jobsFile = Path.Combine(slurmFolder, "jobs.tsv");
        if (tasks.Count == 0)
        {
            stdout.WriteLine($"slurm: {plan}: nothing to submit");
            if (busy > 0) stdout.WriteLine($"once those {busy} have ended: ./run.sh suite {string.Join(' ', merge.Select(SlurmScripts.Quote))} --report-only");
            if (busy > 0 || dryRun) return 0;
            RefuseWhilePreviousSubmissionRuns(jobsFile, root); // its merge job would write the same report
            // Everything has finished: the report needs no job.
            return SuiteCommand.Run([.. merge, "--report-only"], stdout, interactive: false);
        }

        var harness = typeof(SlurmCommand).Assembly.Location;
        var snapshot = BuildSnapshot.PathFor(slurmFolder, [harness, typeof(RunRecord).Assembly.Location]);
        var inputs = suite.Variants.Select(v => Path.GetFullPath(v.ConfigPath)).Prepend(Path.GetFullPath(suite.File)).Distinct().ToList();
        var scripts = new SlurmScripts(suite.Name, root, logs, HarnessCommand(snapshot, Path.GetFileName(harness)), inputs, slurm);
        var arrayPath = Path.Combine(slurmFolder, "array.sbatch");
        var mergePath = Path.Combine(slurmFolder, "merge.sbatch");
        var arrayText = scripts.Array(tasks, pairs.Count, common, suite.File);
        var mergeText = scripts.Merge(merge, suite.File);
        // A CPU build cannot use the GPUs: every task would fail after its wait in the queue.
        var cpuBuild = options.Device == "cuda" && BuildInfo.TorchBackend == "cpu"
            ? "runs are on CUDA, but this build links the CPU libtorch: build with HARNESS_BUILD_ARGS=-p:TorchBackend=cuda (README, CUDA)"
            : null;
        if (dryRun)
        {
            stdout.WriteLine($"slurm (dry run: nothing written or submitted): {plan}");
            if (cpuBuild is not null) stdout.WriteLine($"note: {cpuBuild}; a submission would be refused");
            stdout.Write($"\n# {arrayPath}\n{arrayText}\n# {mergePath}\n{mergeText}\n");
            stdout.WriteLine($"# submitted with (after copying the build to {snapshot}):");
            stdout.WriteLine($"sbatch --parsable {arrayPath}");
            stdout.WriteLine($"sbatch --parsable --dependency=afterany:<array job id> {mergePath}");
            return 0;
        }
        if (cpuBuild is not null) throw new HarnessInputException($"slurm: {cpuBuild}");
        SlurmClient.RequireOnPath("sbatch");

        // One submission at a time per suite folder, and none while the previous one's jobs have not ended: two arrays
        // over one folder would run the same pairs at once.
        Directory.CreateDirectory(logs);
        using var submitting = SubmissionLock(slurmFolder);
        RefuseWhilePreviousSubmissionRuns(jobsFile, root);
        BuildSnapshot.Create(Path.GetDirectoryName(harness)!, snapshot);
        AtomicFile.WriteAllText(arrayPath, arrayText);
        AtomicFile.WriteAllText(mergePath, mergeText);
        AtomicFile.WriteAllText(Path.Combine(slurmFolder, "tasks.tsv"), TaskList(pairs, states, root));
        var history = File.Exists(jobsFile) ? File.ReadAllText(jobsFile) : "array_job\tmerge_job\tsubmitted\ttasks\n";
        var submitted = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var arrayJob = SlurmClient.Submit([], arrayPath);
        // Recorded at once, so a failure from here on cannot hide a running array from the next submission.
        AtomicFile.WriteAllText(jobsFile, history + $"{arrayJob}\t-\t{submitted}\t{SlurmScripts.ArraySpec(tasks)}\n");
        string mergeJob;
        try
        {
            mergeJob = SlurmClient.Submit([$"--dependency=afterany:{arrayJob}"], mergePath);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"array job {arrayJob} was submitted, but the merge job was not ({e.Message}); submit it with: sbatch --dependency=afterany:{arrayJob} {mergePath}");
        }
        AtomicFile.WriteAllText(jobsFile, history + $"{arrayJob}\t{mergeJob}\t{submitted}\t{SlurmScripts.ArraySpec(tasks)}\n");

        stdout.WriteLine($"slurm: {plan}");
        stdout.WriteLine($"submitted array job {arrayJob} ({tasks.Count} tasks, {SlurmScripts.ArraySpec(tasks)}{(slurm.MaxParallel is { } m ? $", at most {m} at once" : "")}) and merge job {mergeJob} (after the array ends)");
        stdout.WriteLine($"build:  {snapshot} (a copy: rebuilding now changes nothing these jobs run)");
        stdout.WriteLine($"runs:   {root}/<variant>/s<seed>/ (tasks.tsv in {slurmFolder} maps tasks to runs)");
        stdout.WriteLine($"logs:   {logs}/{arrayJob}_<task>.out and merge-{mergeJob}.out");
        stdout.WriteLine($"report: {Path.Combine(root, ComparisonReport.Html)} once job {mergeJob} has ended (squeue -j {arrayJob},{mergeJob} to watch)");
        return 0;
    }

    /// <summary>
    /// Refuses (bad input, naming the jobs) while the array or merge job of the last submission recorded in
    /// <paramref name="jobsFile"/> has not ended.
    /// </summary>
    private static void RefuseWhilePreviousSubmissionRuns(string jobsFile, string root)
    {
        if (!File.Exists(jobsFile)) return;
        var last = File.ReadLines(jobsFile).Skip(1).LastOrDefault(l => l.Length > 0)?.Split('\t');
        if (last is null) return;
        var active = SlurmClient.StillActive(last.Take(2).Where(id => id.Length > 0 && id.All(char.IsAsciiDigit)));
        if (active.Count > 0)
            throw new HarnessInputException($"slurm: job {string.Join(" and ", active)} of the previous submission for {root} has not ended; wait for it, or cancel it (scancel {string.Join(' ', active)}), then submit again");
    }

    /// <summary>Holds <c>slurm/.submit.lock</c> of a suite folder; a second submission to the same folder at the same moment is refused.</summary>
    private static FileStream SubmissionLock(string slurmFolder)
    {
        try
        {
            return new FileStream(Path.Combine(slurmFolder, ".submit.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new HarnessInputException($"slurm: another submission to {Path.GetDirectoryName(slurmFolder)} is under way; submit again once it has finished");
        }
    }

    /// <summary>The suite file and every selection option, with absolute paths, as each task and the merge pass them on.</summary>
    private static List<string> SuiteArgumentsFor(SuiteDefinition suite, SuiteOptions options, string root, string resultsRoot) =>
    [
        Path.GetFullPath(suite.File), "--out", root,
        "--cache-dir", Path.GetFullPath(RunDirectory.CacheFolder(options.CacheDirectory, resultsRoot)),
        .. options.Device is { } device ? ["--device", device] : Array.Empty<string>(),
        .. options.Only.SelectMany(v => new[] { "--only", v }),
        .. options.SeedCount is { } n ? ["--seeds", n.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
        .. options.Seeds.SelectMany(s => new[] { "--seed", s.ToString(CultureInfo.InvariantCulture) }),
    ];

    /// <summary>
    /// How a task starts the snapshot of this build: its apphost when that is what runs now, else
    /// <c>dotnet Harness.dll</c> with the dotnet host running now (or the one on PATH, when another program such as a
    /// test host runs Harness).
    /// </summary>
    private static List<string> HarnessCommand(string snapshot, string dll)
    {
        var process = Environment.ProcessPath;
        var apphost = Path.GetFileNameWithoutExtension(dll);
        if (process is not null && Path.GetFileName(process) == apphost) return [Path.Combine(snapshot, apphost)];
        return [process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet", Path.Combine(snapshot, dll)];
    }

    /// <summary>tasks.tsv: each pair's array task, variant, seed, run folder and what the folder held at submission.</summary>
    private static string TaskList(IReadOnlyList<SuitePair> pairs, IReadOnlyList<RunFolderState> states, string root)
    {
        var text = new StringBuilder("task\tvariant\tseed\trun\tat_submission\n");
        foreach (var pair in pairs)
        {
            var state = states[pair.Index] switch
            {
                RunFolderState.Finished => "finished (not submitted)",
                RunFolderState.Busy => "running in another process (not submitted)",
                RunFolderState.Resumable => "unfinished (resumes)",
                RunFolderState.Stale => "unfinished (runs again)",
                _ => "not run",
            };
            text.Append(CultureInfo.InvariantCulture, $"{pair.Index}\t{pair.Variant.Label}\t{pair.Seed}\t{SuiteRunner.RunFolder(root, pair.Variant.Label, pair.Seed)}\t{state}\n");
        }
        return text.ToString();
    }

    private static SlurmOptions Options(CommandLine line) => new()
    {
        Partition = Checked(line, "--partition", NamePattern(), "a partition name (or a comma-separated list)"),
        Account = Checked(line, "--account", NamePattern(), "an account name"),
        Time = Checked(line, "--time", TimePattern(), "a Slurm time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS"),
        GpusPerTask = line.Integer("--gpus-per-task", min: 1),
        CpusPerTask = line.Integer("--cpus-per-task", min: 1),
        Memory = Checked(line, "--mem", MemoryPattern(), "a Slurm memory size such as 8G or 16000M"),
        MaxParallel = line.Integer("--max-parallel", min: 1),
        Extra = line.Values("--sbatch").Select(Sbatch).ToList(),
    };

    private static string Sbatch(string option)
    {
        if (!SbatchPattern().IsMatch(option))
            throw new HarnessInputException($"--sbatch {option}: expected one sbatch option written as --name or --name=value (e.g. --qos=long)");
        // sbatch takes any unambiguous prefix of a long option (--out for --output), so a prefix counts as the option.
        var name = option.Split('=')[0];
        if (name.Length >= 3 && ReservedSbatchOptions.FirstOrDefault(r => r.StartsWith(name, StringComparison.Ordinal)) is { } reserved)
            throw new HarnessInputException($"--sbatch {option}: the scripts set {reserved} themselves (one run per task, logs in the suite folder, the submitting environment)");
        return option;
    }

    private static string? Checked(CommandLine line, string option, Regex pattern, string expected) =>
        line.Value(option) is not { } value ? null
        : pattern.IsMatch(value) ? value
        : throw new HarnessInputException($"{option} {value}: expected {expected}");

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}(:\d{1,2}){0,2})$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^--[a-z][a-z0-9\-]*(=\S+)?$")]
    private static partial Regex SbatchPattern();
}
