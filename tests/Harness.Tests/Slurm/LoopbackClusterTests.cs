using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harness.Tests.Experiments;
using Harness.Tests.Training;
using Xunit.Abstractions;

namespace Harness.Tests.Slurm;

/// <summary>
/// A suite handed to a real Slurm cluster (controller and node on loopback) with <c>./run.sh slurm</c>: its array
/// runs one (variant, seed) per task, its merge job writes the report, and that report is a local run's.
/// </summary>
[Trait("Category", "Slurm")]
[Collection(SlurmCollection.Name)]
public sealed partial class LoopbackClusterTests(LoopbackSlurmCluster cluster, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Suite_OnTheCluster_MergesIntoTheSameReportAsALocalRun()
    {
        // Given a suite of 2 variants x 2 seeds whose runs learn something (so the matrices can differ)
        var suite = WriteSuite(TinySuite.Yaml("loopback", overrides: null));
        var watch = Stopwatch.StartNew();

        // When it goes to the cluster, each task with all the node's cores (so it runs as many threads as a local run),
        // and the merge job ends
        int cores = Environment.ProcessorCount;
        var (arrayJob, mergeJob) = Submit(suite, "cluster", ["--cpus-per-task", $"{cores}"]);
        var mergeState = cluster.WaitUntilEnded(mergeJob);
        output.WriteLine($"loopback cluster: started in {cluster.StartSeconds:F1} s; 4-task suite submitted, run and merged in {watch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(Logs("cluster")); // shown when an assertion below fails

        // Then every task and the merge completed, one run per task ...
        Assert.Equal("COMPLETED", mergeState);
        Assert.Equal(4, cluster.States(arrayJob).Count);
        Assert.All(cluster.States(arrayJob), s => Assert.EndsWith(" COMPLETED", s));
        for (int task = 0; task < 4; task++)
        {
            var log = File.ReadAllText(_dir.File($"cluster/slurm/logs/{arrayJob}_{task}.out"));
            Assert.Contains($"shard {task}/4: 1 of 4 runs: 1 run, 0 skipped", log);
            Assert.Contains($"on CPU ({cores} thread{(cores == 1 ? "" : "s")})", log);
        }
        // ... from the build snapshot, and each run names the task that made it (task i = pair i, as tasks.tsv says)
        Assert.Contains($"{_dir.File("cluster/slurm/build-")}", File.ReadAllText(_dir.File("cluster/slurm/array.sbatch")));
        foreach (var row in File.ReadLines(_dir.File("cluster/slurm/tasks.tsv")).Skip(1).Select(l => l.Split('\t')))
            Assert.Equal($"{arrayJob}_{row[0]}", (string?)Metrics($"cluster/{row[1]}/s{row[2]}")["slurm_job"]);
        Assert.Contains("report over 4 of 4 runs, 0 incomplete", File.ReadAllText(_dir.File($"cluster/slurm/logs/merge-{mergeJob}.out")));

        // ... and the merged report equals a local run of the same suite, run by run
        using (var local = new HarnessProcess(_dir.File("results"), "suite", suite, "--out", _dir.File("local"), "--cache-dir", _dir.File("local-cache")))
            Assert.True(local.WaitForExit() == 0, local.Output + local.Errors);
        foreach (var run in new[] { "naive/s0", "naive/s1", "replay/s0", "replay/s1" })
        {
            var remote = Metrics($"cluster/{run}");
            var here = Metrics($"local/{run}");
            foreach (var key in new[] { "accuracy_matrix", "token_accuracy_matrix", "loss_curve", "acc", "bwt", "forgetting" })
                Assert.True(JsonNode.DeepEquals(here[key], remote[key]), $"{run} {key}: local {here[key]?.ToJsonString()} vs cluster {remote[key]?.ToJsonString()}");
        }
        Assert.Contains(Metrics("local/naive/s0")["accuracy_matrix"]!.AsArray().SelectMany(r => r!.AsArray()), v => (double)v! > 0);
        var (clusterSummary, localSummary) = (Summary("cluster"), Summary("local"));
        Assert.Empty(clusterSummary["incomplete"]!.AsArray());
        foreach (var (mine, theirs) in localSummary["variants"]!.AsArray().Zip(clusterSummary["variants"]!.AsArray()))
        {
            Assert.Equal((string?)mine!["variant"], (string?)theirs!["variant"]);
            Assert.True(JsonNode.DeepEquals(mine["mean_accuracy_matrix"], theirs["mean_accuracy_matrix"]));
            foreach (var metric in new[] { "acc", "bwt", "avg_forgetting", "learning_accuracy" })
                Assert.True(JsonNode.DeepEquals(mine["metrics"]![metric], theirs["metrics"]![metric]), $"{mine["variant"]} {metric}");
        }
    }

    [Fact]
    public void FailedTask_LeavesTheOthersToFinish_TheMergeListsIt_AndResubmittingRunsOnlyWhatIsLeft()
    {
        // Given a suite whose second variant diverges (plain SGD at learning rate 10: a non-finite loss in stage 1)
        var suite = WriteSuite("""
            name: partly
            seeds: [0]
            variants:
              - config: tiny.yaml
                label: good
              - config: tiny.yaml
                label: blowup
                overrides: {training.optimizer: sgd, training.lr: 10, training.grad_clip: 0}
            """);

        // When it goes to the cluster (one core per task), and is submitted again at once
        var (arrayJob, mergeJob) = Submit(suite, "out", ["--cpus-per-task", "1"]);
        using (var early = new HarnessProcess(_dir.File("results"), cluster.Environment, "slurm", suite, "--out", _dir.File("out")))
        {
            // Then the second submission is refused while the first has not ended (the merge job waits for the array)
            Assert.Equal(2, early.WaitForExit(60));
            Assert.Contains($"of the previous submission for {_dir.File("out")} has not ended", early.Errors);
            Assert.Contains($"scancel", early.Errors);
        }
        var mergeState = cluster.WaitUntilEnded(mergeJob);
        output.WriteLine(Logs("out")); // shown when an assertion below fails

        // Then the failing task failed alone, the merge still ran, wrote the report over the finished run and failed,
        // listing the failed run and why
        Assert.Equal([$"{arrayJob}_0 COMPLETED", $"{arrayJob}_1 FAILED"], cluster.States(arrayJob).Order());
        Assert.Equal("FAILED", mergeState);
        var mergeLog = File.ReadAllText(_dir.File($"out/slurm/logs/merge-{mergeJob}.out"));
        Assert.Contains("report over 1 of 2 runs, 1 incomplete", mergeLog);
        Assert.Matches(@"INCOMPLETE: blowup seed 0: failed: stage 1/2 math step \d+/\d+: the loss is", mergeLog);
        var incomplete = Assert.Single(Summary("out")["incomplete"]!.AsArray())!;
        Assert.StartsWith("failed: stage 1/2 math", (string?)incomplete["reason"]);
        Assert.Equal("good", (string?)Assert.Single(Summary("out")["variants"]!.AsArray(), v => (int)v!["n"]! > 0)!["variant"]);
        var goodFinished = File.GetLastWriteTimeUtc(_dir.File("out/good/s0/metrics.json"));
        // (each task had one core, and its run used one thread, not all the node's)
        Assert.Contains("run good seed 0 on CPU (1 thread)", File.ReadAllText(_dir.File("out/good/s0/train.log")));

        // When the failing variant is fixed and the same command is given again
        File.WriteAllText(suite, File.ReadAllText(suite).Replace("training.lr: 10", "training.lr: 0.01", StringComparison.Ordinal));
        var (again, mergeAgain) = Submit(suite, "out", ["--cpus-per-task", "1"], expectLine: "1 finished already, 0 running in another process, 1 to submit");

        // Then only the unfinished run went to the cluster, and the merged report is complete
        Assert.Equal("COMPLETED", cluster.WaitUntilEnded(mergeAgain));
        Assert.Equal([$"{again}_1 COMPLETED"], cluster.States(again));
        Assert.Contains("report over 2 of 2 runs, 0 incomplete", File.ReadAllText(_dir.File($"out/slurm/logs/merge-{mergeAgain}.out")));
        Assert.Equal(goodFinished, File.GetLastWriteTimeUtc(_dir.File("out/good/s0/metrics.json")));
    }

    [Fact]
    public void Cluster_StoppedAndStartedAgainInTheSameFolder_RunsJobs()
    {
        // Given the cluster stopped by its pid files and started again in the same folder (as a second test run would)
        cluster.Restart();

        // When a job is submitted, then it runs
        var job = cluster.Submit("--wrap", "echo ran", "-o", _dir.File("job.out"));
        Assert.Equal("COMPLETED", cluster.WaitUntilEnded(job));
        Assert.Equal("ran", File.ReadAllText(_dir.File("job.out")).Trim());
    }

    /// <summary>Writes the tiny config (trained long enough to learn some facts) and <paramref name="suiteYaml"/>; returns the suite's path.</summary>
    private string WriteSuite(string suiteYaml)
    {
        TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(training: "{batch_size: 8, epochs: 60, lr: 0.01, log_every: 20}"));
        return _dir.Write("suite.yaml", suiteYaml);
    }

    /// <summary>
    /// Runs <c>slurm SUITE --out DIR OPTIONS</c> against the cluster, checks it printed <paramref name="expectLine"/>, and
    /// returns the array and merge job ids it printed.
    /// </summary>
    private (string Array, string Merge) Submit(string suite, string outFolder, string[]? options = null, string? expectLine = null)
    {
        using var slurm = new HarnessProcess(_dir.File("results"), cluster.Environment,
            ["slurm", suite, "--out", _dir.File(outFolder), "--cache-dir", _dir.File("cluster-cache"), .. options ?? []]);
        Assert.True(slurm.WaitForExit(60) == 0, slurm.Output + slurm.Errors);
        if (expectLine is not null) Assert.Contains(expectLine, slurm.Output);
        var ids = SubmittedPattern().Match(slurm.Output);
        Assert.True(ids.Success, slurm.Output);
        return (ids.Groups[1].Value, ids.Groups[2].Value);
    }

    private JsonNode Metrics(string run) => JsonNode.Parse(File.ReadAllText(_dir.File($"{run}/metrics.json")))!;

    private JsonNode Summary(string folder) => JsonNode.Parse(File.ReadAllText(_dir.File($"{folder}/summary.json")))!;

    private string Logs(string folder) =>
        string.Join('\n', Directory.EnumerateFiles(_dir.File($"{folder}/slurm/logs")).Select(f => $"--- {f}\n{File.ReadAllText(f)}")) + cluster.Logs();

    [GeneratedRegex(@"submitted array job (\d+) .* and merge job (\d+)")]
    private static partial Regex SubmittedPattern();
}
