using System.Diagnostics;
using Harness.Slurm;
using Harness.Tests.Cli;
using Harness.Tests.Experiments;
using Harness.Tests.Training;
using Harness.Training;

namespace Harness.Tests.Slurm;

/// <summary>
/// <c>slurm SUITE</c> without a cluster: the scripts it would submit (--dry-run), the runs it leaves out, the build
/// guard in those scripts, and its errors. <see cref="LoopbackClusterTests"/> submits them to a real cluster.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SlurmCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DryRun_PrintsAnArrayOfOneRunPerTaskAndAMergeJob_AndWritesNothing()
    {
        // Given a suite of 2 variants x 2 seeds, narrowed to one variant and both seeds
        var suite = WriteSuite();

        // When its Slurm scripts are asked for with every resource option
        var result = CliResult.Run("slurm", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"), "--only", "replay",
            "--partition", "gpu", "--account", "lab", "--time", "2:00:00", "--gpus-per-task", "1", "--cpus-per-task", "4",
            "--mem", "16G", "--max-parallel", "3", "--sbatch", "--qos=long", "--dry-run");

        // Then the array has one task per selected pair, at most 3 at once, each asking for the resources ...
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("suite slurm-suite: 2 runs, 0 finished already, 0 running in another process, 2 to submit", result.Stdout);
        var (array, merge) = Scripts(result.Stdout);
        Assert.Equal(
            ["--job-name=harness-slurm-suite", "--ntasks=1", "--array=0-1%3", $"--output={_dir.File("out/slurm/logs")}/%A_%a.out",
             "--gpus-per-task=1", "--cpus-per-task=4", "--mem=16G", "--partition=gpu", "--account=lab", "--time=2:00:00", "--qos=long"],
            Directives(array));
        // ... and runs its shard of the same selection on CUDA (GPUs were asked for), with absolute paths
        var exec = Assert.Single(array, l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Contains($" {_dir.File("out/slurm/build-")}", exec); // the snapshot of this build made at submission
        Assert.Contains($"cd {_dir.File("out")}", array);
        Assert.EndsWith($"Harness.dll suite {suite} --out {_dir.File("out")} --cache-dir {_dir.File("cache")} --device cuda --only replay --shard \"$SLURM_ARRAY_TASK_ID/2\"", exec);
        // The merge job asks for no GPU and no array, and merges the same selection once the array has ended
        Assert.Equal(
            ["--job-name=harness-slurm-suite-merge", "--ntasks=1", $"--output={_dir.File("out/slurm/logs")}/merge-%j.out",
             "--partition=gpu", "--account=lab", "--time=2:00:00", "--qos=long"],
            Directives(merge));
        Assert.EndsWith("--device cuda --only replay --report-only", Assert.Single(merge, l => l.StartsWith("exec ", StringComparison.Ordinal)));
        Assert.Contains($"sbatch --parsable --dependency=afterany:<array job id> {_dir.File("out/slurm/merge.sbatch")}", result.Stdout);
        // Both are valid bash, and nothing was written
        Assert.Equal(0, Bash("-n", _dir.Write("array.sh", string.Join('\n', array))).Exit);
        Assert.Equal(0, Bash("-n", _dir.Write("merge.sh", string.Join('\n', merge))).Exit);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void AfterSomeRunsFinished_OnlyTheOthersAreSubmitted_AndAfterAllNothingIs()
    {
        // Given shard 0 of 2 (pairs 0 and 2) has run
        var suite = WriteSuite();
        Assert.Equal(0, CliResult.Run("suite", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"), "--shard", "0/2").ExitCode);

        // When the suite's scripts are asked for
        var result = CliResult.Run("slurm", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"), "--dry-run");

        // Then the array holds the other two pairs only, still numbered in the whole plan
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("4 runs, 2 finished already, 0 running in another process, 2 to submit", result.Stdout);
        var (array, _) = Scripts(result.Stdout);
        Assert.Contains("--array=1,3", Directives(array));
        Assert.EndsWith("--shard \"$SLURM_ARRAY_TASK_ID/4\"", Assert.Single(array, l => l.StartsWith("exec ", StringComparison.Ordinal)));

        // When the other shard has run too and the suite is handed to Slurm again
        Assert.Equal(0, CliResult.Run("suite", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"), "--shard", "1/2").ExitCode);
        var done = CliResult.Run("slurm", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"));

        // Then nothing is submitted (no sbatch is needed) and the report is written here, over all four runs
        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.Contains("4 runs, 4 finished already, 0 running in another process, 0 to submit: nothing to submit", done.Stdout);
        Assert.Contains("report over 4 of 4 runs, 0 incomplete", done.Stdout);
        Assert.True(File.Exists(_dir.File("out/report.html")));
        Assert.False(Directory.Exists(_dir.File("out/slurm")));
    }

    [Fact]
    public void Script_RefusesToStartWhenTheSuiteOrAConfigChangedSinceSubmission()
    {
        // Given the array script, with its last line (starting Harness) replaced by a marker, and its suite folder
        var suite = WriteSuite();
        var result = CliResult.Run("slurm", suite, "--out", _dir.File("out"), "--dry-run");
        var (array, _) = Scripts(result.Stdout);
        var script = _dir.Write("array.sh", string.Join('\n', array.Select(l => l.StartsWith("exec ", StringComparison.Ordinal) ? "echo started" : l)) + "\n");
        Directory.CreateDirectory(_dir.File("out"));

        // When it runs with the files it was written for, and again after the config changed
        var same = Bash(script);
        File.AppendAllText(_dir.File("tiny.yaml"), "# edited\n");
        var changed = Bash(script);

        // Then the first starts and the second stops, naming the file
        Assert.Equal((0, "started"), (same.Exit, same.Output.Trim()));
        Assert.Equal(1, changed.Exit);
        Assert.Contains($"{_dir.File("tiny.yaml")}: FAILED", changed.Output);
        Assert.Contains("the suite or a config changed after this job was submitted; submit the suite again", changed.Output);
        Assert.DoesNotContain("started", changed.Output);
    }

    [Fact]
    public void BuildSnapshot_CopiesSmallFiles_LinksLargeOnesAndFolders_AndDeletingItLeavesTheBuild()
    {
        // Given a build folder: an assembly, a native library above the copy limit (sparse), a folder
        var build = Directory.CreateDirectory(_dir.File("build")).FullName;
        var assembly = _dir.Write("build/Harness.dll", "code v1");
        using (var big = File.Create(_dir.File("build/libtorch_cpu.so"))) big.SetLength(BuildSnapshot.CopyLimit + 1);
        Directory.CreateDirectory(_dir.File("build/data"));
        var corpus = _dir.Write("build/data/corpus.txt", "text");

        // When it is snapshotted, twice (a resubmission), and the build is rebuilt afterwards
        var snapshot = BuildSnapshot.PathFor(_dir.File("slurm"), [assembly]);
        BuildSnapshot.Create(build, snapshot);
        BuildSnapshot.Create(build, snapshot);
        File.WriteAllText(assembly, "code v2");
        File.WriteAllText(corpus, "edited");

        // Then the snapshot keeps the old assembly, links the rest, and a new build gets a new snapshot
        Assert.Equal("code v1", File.ReadAllText(Path.Combine(snapshot, "Harness.dll")));
        Assert.Null(new FileInfo(Path.Combine(snapshot, "Harness.dll")).LinkTarget);
        Assert.Equal(_dir.File("build/libtorch_cpu.so"), new FileInfo(Path.Combine(snapshot, "libtorch_cpu.so")).LinkTarget);
        Assert.Equal("text", File.ReadAllText(Path.Combine(snapshot, "data", "corpus.txt")));
        Assert.Null(new DirectoryInfo(Path.Combine(snapshot, "data")).LinkTarget);
        Assert.NotEqual(snapshot, BuildSnapshot.PathFor(_dir.File("slurm"), [assembly]));
        Assert.Single(Directory.GetDirectories(_dir.File("slurm"))); // no partial folder left behind
        // ... and removing the snapshot removes links, never what they point to
        Directory.Delete(snapshot, recursive: true);
        Assert.Equal(BuildSnapshot.CopyLimit + 1, new FileInfo(_dir.File("build/libtorch_cpu.so")).Length);
        Assert.True(File.Exists(_dir.File("build/data/corpus.txt")));
    }

    [Fact]
    public void WithoutSbatchOnPath_ExitsTwoSayingWhere()
    {
        // Given a PATH that holds dotnet and no sbatch
        var suite = WriteSuite();
        var dotnetFolder = Path.GetDirectoryName(Process.GetCurrentProcess().MainModule!.FileName)!;
        using var slurm = new HarnessProcess(_dir.File("results"), new Dictionary<string, string?> { ["PATH"] = dotnetFolder },
            "slurm", suite, "--out", _dir.File("out"));

        // When it submits, then it stops with one line, having written nothing
        Assert.Equal(2, slurm.WaitForExit(60));
        Assert.Contains("error: slurm: sbatch is not on PATH: run this on a Slurm login node", slurm.Errors);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void MergeSubmissionFails_TheArrayIsStillRecorded_AndTheNextSubmissionWaitsForIt()
    {
        // Given an sbatch that accepts the array (job 101) and refuses the merge, and a squeue that shows job 101 queued
        var suite = WriteSuite();
        FakeSlurm(sbatch: """[[ " $* " == *" --dependency="* ]] && { echo "sbatch: error: Batch job submission failed" >&2; exit 1; }; echo 101""",
            squeue: """[ "$3" = 101 ] && echo 101; exit 0""");

        // When the suite is submitted, and submitted again
        var (first, firstErrors) = SlurmWithFakes(suite);
        var (second, secondErrors) = SlurmWithFakes(suite);

        // Then the first says how to submit the merge by hand and records the array; the second is refused because of it
        Assert.Equal(1, first);
        Assert.Contains("array job 101 was submitted, but the merge job was not", firstErrors);
        Assert.Contains($"sbatch --dependency=afterany:101 {_dir.File("out/slurm/merge.sbatch")}", firstErrors);
        Assert.StartsWith("101\t-\t", File.ReadLines(_dir.File("out/slurm/jobs.tsv")).Last());
        Assert.Equal(2, second);
        Assert.Contains("job 101 of the previous submission", secondErrors);
    }

    [Theory]
    [InlineData("echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1", 0, "")]
    [InlineData("echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1", 1, "Unable to contact slurm controller")]
    public void PreviousSubmission_IsOverOnlyWhenSqueueNoLongerKnowsIt(string squeue, int expectedExit, string expectedError)
    {
        // Given a previous submission on record (jobs 7 and 8) and an sbatch that accepts everything
        var suite = WriteSuite();
        Directory.CreateDirectory(_dir.File("out/slurm"));
        _dir.Write("out/slurm/jobs.tsv", "array_job\tmerge_job\tsubmitted\ttasks\n7\t8\t2026-11-29T00:00:00Z\t0-3\n");
        FakeSlurm(sbatch: "echo 9", squeue: squeue);

        // When the suite is submitted again
        var (exit, errors) = SlurmWithFakes(suite);

        // Then a squeue that has forgotten the jobs lets it through; one that cannot answer stops it
        Assert.True(exit == expectedExit, errors);
        Assert.Contains(expectedError, errors);
        Assert.Equal(expectedExit == 0 ? 3 : 2, File.ReadAllLines(_dir.File("out/slurm/jobs.tsv")).Length);
    }

    [Fact]
    public void GpusOnACpuBuild_AreRefusedBeforeSubmitting()
    {
        // Given this build links the CPU libtorch (as every build made from the registry these machines reach)
        Assert.Equal("cpu", BuildInfo.TorchBackend);

        // When a suite asks for a GPU per task, then nothing is submitted: every task would fail on CUDA
        var result = CliResult.Run("slurm", WriteSuite(), "--out", _dir.File("out"), "--gpus-per-task", "1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("runs are on CUDA, but this build links the CPU libtorch", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Theory]
    [InlineData(new[] { "--time", "1:2:3:4" }, "--time 1:2:3:4: expected a Slurm time")]
    [InlineData(new[] { "--mem", "8X" }, "--mem 8X: expected a Slurm memory size")]
    [InlineData(new[] { "--gpus-per-task", "0" }, "--gpus-per-task")]
    [InlineData(new[] { "--sbatch", "qos=long" }, "--sbatch qos=long: expected one sbatch option")]
    [InlineData(new[] { "--partition", "a b" }, "--partition a b: expected a partition name")]
    [InlineData(new[] { "--shard", "0/2" }, "slurm: unknown option --shard")]
    [InlineData(new[] { "--seeds", "2", "--seed", "1" }, "slurm: give --seeds N")]
    [InlineData(new[] { "--sbatch", "--array=0-3" }, "--sbatch --array=0-3: the scripts set --array themselves")]
    [InlineData(new[] { "--sbatch", "--export=NONE" }, "the scripts set --export themselves")]
    [InlineData(new[] { "--sbatch", "--out=/x" }, "--sbatch --out=/x: the scripts set --output themselves")]
    [InlineData(new[] { "--out", "/tmp/a%b" }, "has white space, '%' or")]
    public void BadOptions_ExitTwoWithOneLine(string[] options, string expected)
    {
        var result = CliResult.Run(["slurm", WriteSuite(), "--dry-run", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.StderrLines));
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 1, 3 }, "1,3")]
    [InlineData(new[] { 0, 2, 3, 4, 7, 9, 10 }, "0,2-4,7,9-10")]
    [InlineData(new[] { 5 }, "5")]
    public void ArraySpec_WritesRunsOfConsecutiveTasksAsRanges(int[] tasks, string expected) =>
        Assert.Equal(expected, SlurmScripts.ArraySpec(tasks));

    [Theory]
    [InlineData("/data/run-1/s0", "/data/run-1/s0")]
    [InlineData("my suite", "'my suite'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    public void Quote_LeavesPlainWordsAndQuotesTheRest(string value, string expected) =>
        Assert.Equal(expected, SlurmScripts.Quote(value));

    /// <summary>Writes fake <c>sbatch</c> and <c>squeue</c> (bash bodies) into a folder for <see cref="SlurmWithFakes"/>.</summary>
    private void FakeSlurm(string sbatch, string squeue)
    {
        Directory.CreateDirectory(_dir.File("fakebin"));
        foreach (var (name, body) in new[] { ("sbatch", sbatch), ("squeue", squeue) })
            Assert.Equal(0, ExternalCommand.Run("chmod", ["+x", _dir.Write($"fakebin/{name}", $"#!/bin/bash\n{body}\n")]).Exit);
    }

    /// <summary>Runs <c>slurm SUITE --out out</c> as a process whose PATH holds the fakes and dotnet only.</summary>
    private (int Exit, string Errors) SlurmWithFakes(string suite)
    {
        var dotnetFolder = Path.GetDirectoryName(Process.GetCurrentProcess().MainModule!.FileName)!;
        using var slurm = new HarnessProcess(_dir.File("results"), new Dictionary<string, string?> { ["PATH"] = $"{_dir.File("fakebin")}:{dotnetFolder}:/usr/bin:/bin" },
            "slurm", suite, "--out", _dir.File("out"), "--cache-dir", _dir.File("cache"));
        return (slurm.WaitForExit(60), slurm.Errors);
    }

    private string WriteSuite()
    {
        TinyConfig.WriteTo(_dir);
        return _dir.Write("suite.yaml", TinySuite.Yaml("slurm-suite"));
    }

    /// <summary>The array and merge scripts a dry run printed, each as its lines.</summary>
    private (string[] Array, string[] Merge) Scripts(string stdout)
    {
        var lines = stdout.Split('\n');
        string[] After(string header) => lines.SkipWhile(l => l != $"# {_dir.File(header)}").Skip(1).TakeWhile(l => l.Length > 0).ToArray();
        return (After("out/slurm/array.sbatch"), After("out/slurm/merge.sbatch"));
    }

    private static string[] Directives(string[] script) =>
        script.Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l["#SBATCH ".Length..]).ToArray();

    private static (int Exit, string Output) Bash(params string[] args) => ExternalCommand.Run("bash", args);
}
