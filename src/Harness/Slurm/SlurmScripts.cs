using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Harness.Slurm;

/// <summary>
/// The two batch scripts of a suite on Slurm. The array script runs one (variant, seed) pair per task, as
/// <c>suite FILE --shard $SLURM_ARRAY_TASK_ID/N</c> with N the number of pairs, so task i is pair i of the plan; the
/// merge script runs <c>suite FILE --report-only</c> once the array has ended (submitted with
/// --dependency=afterany, so it runs however the tasks ended). Both run the build snapshot made at submission
/// (<paramref name="harness"/>), and refuse to start when the suite file or a config it names (<paramref name="inputs"/>)
/// changed since: a task must run the plan that was checked and numbered at submission.
/// </summary>
internal sealed class SlurmScripts(string suiteName, string workingDirectory, string logDirectory, IReadOnlyList<string> harness,
    IReadOnlyList<string> inputs, SlurmOptions slurm)
{
    /// <summary>
    /// The array script over the pairs numbered <paramref name="tasks"/> of <paramref name="pairCount"/>;
    /// <paramref name="suiteArguments"/> is the suite file and every option but --shard.
    /// </summary>
    public string Array(IReadOnlyList<int> tasks, int pairCount, IReadOnlyList<string> suiteArguments, string suiteFile) =>
        Script(
            [
                $"# Harness suite '{suiteName}' ({suiteFile}): one (variant, seed) run per array task; task i is pair i of the",
                "# suite's plan (tasks.tsv beside this script lists them). Written by ./run.sh slurm; the same command again",
                "# submits whatever has not finished (finished runs are skipped).",
            ],
            [
                $"--job-name=harness-{suiteName}",
                $"--array={ArraySpec(tasks)}{(slurm.MaxParallel is { } m ? $"%{m}" : "")}",
                $"--output={Path.Combine(logDirectory, "%A_%a.out")}",
                slurm.GpusPerTask is { } g ? $"--gpus-per-task={g}" : null,
                slurm.CpusPerTask is { } c ? $"--cpus-per-task={c}" : null,
                slurm.Memory is { } mem ? $"--mem={mem}" : null,
            ],
            ["suite", .. suiteArguments, "--shard"], $"\"$SLURM_ARRAY_TASK_ID/{pairCount}\"");

    /// <summary>The merge script: <c>suite --report-only</c> with <paramref name="suiteArguments"/>.</summary>
    public string Merge(IReadOnlyList<string> suiteArguments, string suiteFile) =>
        Script(
            [
                $"# Harness suite '{suiteName}' ({suiteFile}): merges the array's finished runs into the suite report once every",
                "# task has ended, however it ended; the report and this job's log list the runs that failed or never ran.",
            ],
            [$"--job-name=harness-{suiteName}-merge", $"--output={Path.Combine(logDirectory, "merge-%j.out")}"],
            ["suite", .. suiteArguments, "--report-only"], null);

    /// <summary>Array indices as Slurm writes them: runs of consecutive numbers as ranges ("0-3,5,7-9").</summary>
    public static string ArraySpec(IReadOnlyList<int> tasks)
    {
        var parts = new List<string>();
        for (int i = 0; i < tasks.Count;)
        {
            int j = i;
            while (j + 1 < tasks.Count && tasks[j + 1] == tasks[j] + 1) j++;
            parts.Add(j == i ? Invariant(tasks[i]) : $"{Invariant(tasks[i])}-{Invariant(tasks[j])}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>
    /// <paramref name="value"/> as one bash word: as is when it holds only characters bash leaves alone, else in single
    /// quotes.
    /// </summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_-./=:,+@%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Script(string[] comments, string?[] jobDirectives, IReadOnlyList<string> arguments, string? lastWord)
    {
        var script = new StringBuilder("#!/bin/bash\n");
        foreach (var comment in comments) script.Append(comment).Append('\n');
        string?[] directives =
        [
            jobDirectives[0], "--ntasks=1", .. jobDirectives[1..],
            slurm.Partition is { } p ? $"--partition={p}" : null,
            slurm.Account is { } a ? $"--account={a}" : null,
            slurm.Time is { } t ? $"--time={t}" : null,
            .. slurm.Extra,
        ];
        foreach (var directive in directives.OfType<string>()) script.Append("#SBATCH ").Append(directive).Append('\n');
        script.Append("set -euo pipefail\n")
            .Append("cd ").Append(Quote(workingDirectory)).Append('\n')
            .Append("# The suite and configs that were checked at submission, or nothing: an edit since would renumber the plan.\n")
            .Append("if ! sha256sum --check --quiet <<'INPUTS'; then echo 'error: the suite or a config changed after this job was submitted; submit the suite again' >&2; exit 1; fi\n");
        foreach (var input in inputs) script.Append(Sha256(input)).Append("  ").Append(input).Append('\n');
        script.Append("INPUTS\n");
        return script.Append("exec ").Append(string.Join(' ', harness.Concat(arguments).Select(Quote)))
            .Append(lastWord is null ? "" : " " + lastWord).Append('\n').ToString();
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
