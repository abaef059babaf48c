using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Metrics.Reports;
using Harness.Tests.Cli;
using Harness.Training;

namespace Harness.Tests.Training;

/// <summary>
/// The harness as a process, killed with SIGKILL at several points (pretraining, mid-stage, during an evaluation,
/// while writing the outputs) and resumed, gives the uninterrupted run's results bit for bit; SIGINT and SIGTERM stop
/// it after the current step with status interrupted and exit 130/143; two runs of one config at once never share a folder.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class KillAndResumeTests(KillAndResumeTests.Twin twin) : IDisposable, IClassFixture<KillAndResumeTests.Twin>
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The config the kill tests share and its uninterrupted run, made once. Long enough (pretraining 300 steps, 30
    /// epochs a stage) that a kill sent on seeing a log line, which the process printed a moment earlier, still lands
    /// near that line on a busy machine.
    /// </summary>
    public sealed class Twin : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public Twin()
        {
            Config = TinyConfig.WriteTo(_dir, "kill.yaml", TinyConfig.Yaml(
                name: "kill",
                pretrain: "{corpus: builtin, steps: 300, batch_size: 8, cache: false}",
                strategies: "  - {type: replay, buffer_size: 8, replay_ratio: 0.25}\n  - {type: ewc, lambda: 10}",
                training: "{batch_size: 8, epochs: 30, lr: 0.003, log_every: 1}"));
            // A process like the killed ones (the same floating-point setup: Program flushes denormals, a test host does not)
            Directory = _dir.File("twin");
            using var process = new HarnessProcess(_dir.Path, Config, "--out", Directory, "--cache-dir", _dir.File("cache"));
            Assert.True(process.WaitForExit() == 0, process.Output + process.Errors);
        }

        /// <summary>The config's path.</summary>
        public string Config { get; }

        /// <summary>The uninterrupted run's folder.</summary>
        public string Directory { get; }

        public void Dispose() => _dir.Dispose();
    }

    /// <summary>
    /// The tiny config, pretraining without the cache so a kill can land in it; <paramref name="epochs"/> long enough
    /// that a signal sent on seeing a log line (which the process printed a moment earlier) still finds it training.
    /// </summary>
    private string Config(int epochs = 4, bool cache = false) => TinyConfig.WriteTo(_dir, "kill.yaml", TinyConfig.Yaml(
        name: "kill",
        pretrain: $"{{corpus: builtin, steps: 40, batch_size: 8, cache: {(cache ? "true" : "false")}}}",
        strategies: "  - {type: replay, buffer_size: 8, replay_ratio: 0.25}\n  - {type: ewc, lambda: 10}",
        training: $"{{batch_size: 8, epochs: {epochs}, lr: 0.003, log_every: 1}}"));

    public static TheoryData<string, string> KillPoints() => new()
    {
        { "pretraining", @"^pretrain step 20/" },
        { "mid-stage", @"^stage 2/2 words step 3/" },
        { "evaluation", @"^stage 1/2 math step (\d+)/\1:" },
        { "outputs", @"^eval after stage 2/2 " },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void KilledRun_Resumed_MatchesUninterruptedRunBitForBit(string point, string killAt)
    {
        // Given the config and its uninterrupted run
        var config = twin.Config;
        // When a process running it is killed with SIGKILL at the point
        var run = _dir.File($"killed-{point}");
        using (var process = new HarnessProcess(_dir.Path, config, "--out", run, "--cache-dir", _dir.File("cache")))
        {
            Assert.True(process.WaitForLine(line => Regex.IsMatch(line, killAt)), $"never reached {point}:\n{process.Output}\n{process.Errors}");
            process.Kill();
        }
        // Then the folder never passes for a finished run (unless the kill came after the last write)
        bool completed = RunRecord.IsCompleted(run);
        Assert.True(!completed || point == "outputs", $"killed during {point}, yet metrics.json says completed");
        // And resumed, it completes with the uninterrupted run's matrices, loss curve and weights
        if (!completed)
        {
            using var resumed = new HarnessProcess(_dir.Path, config, "--resume", run, "--cache-dir", _dir.File("cache"));
            Assert.True(resumed.WaitForExit() == 0, resumed.Output + resumed.Errors);
        }
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(twin.Directory, "metrics.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        foreach (var key in new[] { "status", "accuracy_matrix", "token_accuracy_matrix", "heldout", "loss_curve", "trained_tokens" })
            Assert.True(JsonNode.DeepEquals(a[key], b[key]), $"{point}: {key} differs:\n{a[key]?.ToJsonString()}\n{b[key]?.ToJsonString()}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(twin.Directory, "model.pt")), File.ReadAllBytes(Path.Combine(run, "model.pt")));
    }

    [Theory]
    [InlineData(2, 130, "SIGINT")]
    [InlineData(15, 143, "SIGTERM")]
    public void Signal_StopsAfterTheStep_WritesInterrupted_AndExitsWithTheSignalCode(int signal, int exitCode, string name)
    {
        // Given a run in mid-stage
        var config = Config(epochs: 60);
        var run = _dir.File("signalled");
        using var process = new HarnessProcess(_dir.Path, config, "--out", run, "--cache-dir", _dir.File("cache"));
        Assert.True(process.WaitForLine(line => line.StartsWith("stage 2/2 words step 2/", StringComparison.Ordinal)), process.Output);
        // When the signal arrives
        process.Signal(signal);
        // Then the process exits with 128 + the signal, metrics.json says interrupted with the stages done, and the run resumes
        Assert.Equal(exitCode, process.WaitForExit());
        Assert.Contains($"interrupted: interrupted by {name}", process.Errors);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!;
        Assert.Equal("interrupted", metrics["status"]!.GetValue<string>());
        Assert.Equal(name, metrics["signal"]!.GetValue<string>());
        Assert.Equal(1, metrics["completed_stages"]!.GetValue<int>());
        Assert.Equal(0, CliResult.Run(config, "--resume", run, "--cache-dir", _dir.File("cache")).ExitCode);
        Assert.True(RunRecord.IsCompleted(run));
    }

    [Fact]
    public void SecondSigint_EndsTheProcessAtOnce()
    {
        // Given a run pretraining a wider model on big batches (steps of a few hundred ms: an orderly stop would wait for one)
        var config = TinyConfig.WriteTo(_dir, "slow.yaml", TinyConfig.Yaml(name: "slow",
            pretrain: "{corpus: builtin, steps: 400, batch_size: 64, cache: false}",
            training: "{batch_size: 8, epochs: 2, lr: 0.003, log_every: 1}").Replace("d_model: 32, layers: 1", "d_model: 256, layers: 4"));
        var run = _dir.File("twice");
        using var process = new HarnessProcess(_dir.Path, config, "--out", run, "--cache-dir", _dir.File("cache"));
        Assert.True(process.WaitForLine(line => line.StartsWith("pretrain step 2/", StringComparison.Ordinal)), process.Output);
        // When SIGINT arrives, and again once the process said it is stopping (the step under way takes longer)
        process.Signal(2);
        Assert.True(process.WaitForError("SIGINT: stopping after the current step"), process.Errors);
        process.Signal(2);
        // Then the process ends by the signal (130) without the orderly stop, which would have finished the step first
        Assert.Equal(130, process.WaitForExit());
        Assert.DoesNotContain("interrupted: interrupted by", process.Errors);
        Assert.Equal("running", JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["status"]!.GetValue<string>());
    }

    [Fact]
    public void TwoRunsOfOneConfigAtOnce_WriteIntoTwoFoldersAndFillOneCacheEntry()
    {
        // Given one config, no --out, and an empty pretrained-base cache
        var config = Config(cache: true);
        var results = _dir.File("results");
        // When two processes run it at the same moment
        using var first = new HarnessProcess(results, config, "--cache-dir", _dir.File("cache"));
        using var second = new HarnessProcess(results, config, "--cache-dir", _dir.File("cache"));
        Assert.Equal(0, first.WaitForExit());
        Assert.Equal(0, second.WaitForExit());
        // Then each completed in its own folder, with the same results
        var runs = Directory.GetDirectories(Path.Combine(results, "kill"));
        Assert.Equal(2, runs.Length);
        Assert.All(runs, run => Assert.True(RunRecord.IsCompleted(run), run));
        var matrices = runs.Select(run => JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["accuracy_matrix"]).ToList();
        Assert.True(JsonNode.DeepEquals(matrices[0], matrices[1]));
        // and the base both pretrained at once is one complete cache entry, no temporary file left, that a third run loads
        var entry = Assert.Single(Directory.GetFiles(_dir.File("cache")));
        Assert.Matches(@"base-[0-9a-f]+\.pt$", entry);
        var third = CliResult.Run(config, "--out", _dir.File("third"), "--cache-dir", _dir.File("cache"));
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("pretrain: loaded cached base", third.Stdout);
    }
}
