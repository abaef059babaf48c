using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Data;
using Harness.Tests.Cli;
using Harness.Training;

namespace Harness.Tests.Training;

/// <summary>
/// A run stopped at a stage boundary, mid-stage or during an evaluation and then resumed gives the same accuracy
/// matrices, loss curve and final weights, bit for bit, as the same run uninterrupted: for every strategy's state
/// (replay buffers of each policy with DER++ logits, EWC/SI/L2 anchors, distillation heads, adapters with a learned
/// router, isolation's shared adapter) and for the kept optimiser of the image benchmarks.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Where the stop request lands.</summary>
    public enum StopPoint
    {
        /// <summary>Right after stage 2's evaluation: the stage-2 checkpoint is the newest.</summary>
        BetweenStages,
        /// <summary>After a few steps of stage 3 (of a joint run: of its one stage).</summary>
        MidStage,
        /// <summary>After stage 2's last step, before its evaluation finished: the stage-1 checkpoint is the newest.</summary>
        DuringEvaluation,
        /// <summary>During the last evaluation: the last checkpoint holds every stage, and the resume only writes the outputs.</summary>
        AfterLastStage,
    }

    public static TheoryData<string, string, string, StopPoint> TextCases() => new()
    {
        { "reservoir-ewc", "  - {type: replay, buffer_size: 8, replay_ratio: 0.25}\n  - {type: ewc, lambda: 10}", "", StopPoint.MidStage },
        { "der-fifo-distill", "  - {type: replay, selection: fifo, buffer_size: 8, store_logits: true}\n  - {type: distillation, weight: 1.0}", "", StopPoint.BetweenStages },
        { "balanced-online-ewc", "  - {type: replay, selection: balanced, buffer_size: 8}\n  - {type: ewc, lambda: 10, online: true, gamma: 0.9}", "", StopPoint.DuringEvaluation },
        { "loss-si", "  - {type: replay, selection: loss, buffer_size: 8, store_logits: true}\n  - {type: si, c: 0.5}", "grad_clip: 0, ", StopPoint.MidStage },
        { "stage-end-rehearsal-l2", "  - {type: rehearsal, fraction: 0.25}\n  - {type: replay, buffer_size: 8, update: stage_end}\n  - {type: l2, lambda: 1}", "", StopPoint.MidStage },
        { "adapters-learned", "  - {type: adapters, rank: 2, targets: [q, v, head], routing: learned}", "", StopPoint.MidStage },
        { "isolation-replay", "  - {type: isolation, shared_rank: 2, rank: 2, domain_targets: [q, head]}\n  - {type: replay, buffer_size: 8}", "", StopPoint.BetweenStages },
        { "joint", "  - {type: joint}", "", StopPoint.MidStage },
        { "replay-after-last", "  - {type: replay, selection: balanced, buffer_size: 8}\n  - {type: distillation}", "", StopPoint.AfterLastStage },
    };

    [Theory]
    [MemberData(nameof(TextCases))]
    public void StoppedRun_Resumed_MatchesUninterruptedRunExactly(string name, string strategies, string training, StopPoint point)
    {
        // Given a tiny text config of three domains (so a checkpoint holds state two stages built) with these strategies
        var yaml = TinyConfig.Yaml(name: name, strategies: strategies, training: $"{{batch_size: 8, epochs: 3, lr: 0.003, {training}log_every: 1}}")
            .Replace(WordsDomain, WordsDomain + "  - {id: upper, source: \"jsonl:upper.jsonl\", train_size: 24, test_size: 8}\n");
        _dir.Write("upper.jsonl", string.Concat(TinyConfig.Words.Select(w => $"{{\"prompt\": \"{w}\", \"answer\": \"{w.ToUpperInvariant()}\"}}\n")));
        var config = TinyConfig.WriteTo(_dir, $"{name}.yaml", yaml);
        var loaded = ConfigLoader.Load(config);
        // When it runs once uninterrupted, and once stopped at the point and resumed
        var twin = new ExperimentRunner(new StringWriter(), false) { CacheDirectory = _dir.File("cache") }.Run(loaded, _dir.File("twin"));
        var stopped = _dir.File("stopped");
        var log = StopAndResume(loaded, stopped, Trigger(point, joint: name == "joint"));
        // Then everything the two runs measured is identical
        AssertSameRun(twin, stopped, log);
    }

    [Fact]
    public void StoppedImageRun_WithKeptOptimizerAndTaskHeads_ResumesExactly()
    {
        // Given a task-incremental Split MNIST on the fixture, one Adam kept through the tasks (reset_optimizer: false),
        // LwF over the old heads, SI and a reservoir
        var config = _dir.Write("images.yaml", $$"""
            name: images
            seed: 3
            device: cpu
            model: {type: mlp, hidden: [16]}
            benchmark: {name: split_mnist, scenario: task, data: {{DataPaths.MnistFixture}}, train_size: 24, test_size: 8}
            training: {optimizer: adamw, reset_optimizer: false, batch_size: 8, epochs: 2, lr: 0.01, weight_decay: 0, grad_clip: 0, log_every: 1}
            evaluation: {batch_size: 64}
            strategies:
              - {type: replay, buffer_size: 6}
              - {type: distillation, weight: 1.0}
              - {type: si, c: 0.1}
            """);
        var loaded = ConfigLoader.Load(config);
        var twin = new ExperimentRunner(new StringWriter(), false).Run(loaded, _dir.File("twin"));
        // When it is stopped in the middle of task 3 of 5 and resumed
        var stopped = _dir.File("stopped");
        var log = StopAndResume(loaded, stopped, line => line.StartsWith("stage 3/5 ", StringComparison.Ordinal) && line.Contains(" step 2/"));
        // Then the runs are identical
        AssertSameRun(twin, stopped, log);
    }

    [Fact]
    public void Resume_OfAnotherConfig_IsRefusedNamingTheKey()
    {
        // Given a run stopped after its first stage
        var config = TinyConfig.WriteTo(_dir);
        var loaded = ConfigLoader.Load(config);
        var stopped = _dir.File("stopped");
        Stop(loaded, stopped, line => line.StartsWith("eval after stage 1/", StringComparison.Ordinal));
        // When it is resumed with another learning rate
        var other = TinyConfig.WriteTo(_dir, "other.yaml", TinyConfig.Yaml(training: "{batch_size: 8, epochs: 3, lr: 0.005, log_every: 2}"));
        var result = CliResult.Run(other, "--resume", stopped, "--cache-dir", _dir.File("cache"));
        // Then it is bad input naming the run's resolved config, its line and the key, and the run is left as it was
        var line = result.InputErrorLine($"{Path.Combine(stopped, "config.resolved.yaml")}:");
        Assert.Matches(@":\d+: training\.lr: the run was made with 'lr: 0.003'", line);
        Assert.Equal("interrupted", Status(stopped));
        Assert.True(File.Exists(RunCheckpoint.PathIn(stopped)));
    }

    [Fact]
    public void Resume_AfterTheDataChanged_IsRefusedAndLeavesTheRunAsItWas()
    {
        // Given a run stopped after its first stage
        var config = TinyConfig.WriteTo(_dir);
        var stopped = _dir.File("stopped");
        Stop(ConfigLoader.Load(config), stopped, line => line.StartsWith("eval after stage 1/", StringComparison.Ordinal));
        var before = File.ReadAllText(Path.Combine(stopped, "metrics.json"));
        // When one answer of its data file changes (same characters, so the tokenizer is the same) and it is resumed
        var words = File.ReadAllText(_dir.File("words.jsonl"));
        File.WriteAllText(_dir.File("words.jsonl"), words.Replace("\"answer\": \"enots\"", "\"answer\": \"stone\""));
        var result = CliResult.Run(config, "--resume", stopped, "--cache-dir", _dir.File("cache"));
        // Then it is refused as bad input, and the run's status and checkpoint are untouched
        result.InputErrorLine($"--resume {stopped}: the curriculum's data changed since the run started");
        Assert.Equal(before, File.ReadAllText(Path.Combine(stopped, "metrics.json")));
        Assert.True(File.Exists(RunCheckpoint.PathIn(stopped)));
    }

    [Fact]
    public void Resume_OfCompletedRunOrNonRunFolder_IsRefused()
    {
        // Given a completed run and a folder that is not a run
        var config = TinyConfig.WriteTo(_dir);
        var done = _dir.File("done");
        Assert.Equal(0, CliResult.Run(config, "--out", done, "--cache-dir", _dir.File("cache")).ExitCode);
        Directory.CreateDirectory(_dir.File("plain"));
        // When each is resumed
        // Then each is refused with one line
        CliResult.Run(config, "--resume", done).InputErrorLine($"--resume {done}: the run already completed");
        CliResult.Run(config, "--resume", _dir.File("plain")).InputErrorLine($"--resume {_dir.File("plain")}: not a Harness run folder");
        CliResult.Run(config, "--resume", _dir.File("missing")).InputErrorLine($"--resume {_dir.File("missing")}: no such folder");
        Assert.False(File.Exists(RunCheckpoint.PathIn(done)), "a completed run keeps no checkpoint");
    }

    [Fact]
    public void StoppedRun_MetricsJson_SaysInterrupted_AndIsNotACompletedRun()
    {
        // Given a run stopped mid-stage by a SIGTERM-like request
        var loaded = ConfigLoader.Load(TinyConfig.WriteTo(_dir));
        var stopped = _dir.File("stopped");
        var stop = new StopSignal();
        var console = new TriggerWriter(l => l.StartsWith("stage 2/2 words step 2/", StringComparison.Ordinal), () => stop.Request(15));
        var e = Assert.Throws<RunInterruptedException>(() =>
            new ExperimentRunner(console, false) { CacheDirectory = _dir.File("cache"), Stop = stop }.Run(loaded, stopped));
        // Then it exits as SIGTERM asks, and metrics.json says how far it got and how to resume, and no report takes it
        Assert.Equal(143, e.ExitCode);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(stopped, "metrics.json")))!;
        Assert.Equal("interrupted", metrics["status"]!.GetValue<string>());
        Assert.Equal("SIGTERM", metrics["signal"]!.GetValue<string>());
        Assert.Equal(1, metrics["completed_stages"]!.GetValue<int>());
        Assert.Equal(2, metrics["accuracy_matrix"]!.AsArray().Count);
        Assert.Contains("--resume", metrics["resume"]!.GetValue<string>());
        Assert.False(Harness.Metrics.Reports.RunRecord.IsCompleted(stopped));
    }

    private const string WordsDomain = "  - {id: words, source: \"jsonl:words.jsonl\", train_size: 24, test_size: 8}\n";

    /// <summary>Runs <paramref name="loaded"/> into <paramref name="directory"/>, stopping (as SIGINT) at the trigger line.</summary>
    private void Stop(LoadedConfig loaded, string directory, Func<string, bool> trigger)
    {
        var stop = new StopSignal();
        var console = new TriggerWriter(trigger, () => stop.Request(2));
        var e = Assert.Throws<RunInterruptedException>(() =>
            new ExperimentRunner(console, false) { CacheDirectory = _dir.File("cache"), Stop = stop }.Run(loaded, directory));
        Assert.Equal(130, e.ExitCode);
        Assert.Equal("interrupted", Status(directory));
    }

    /// <summary>Stops the run at the trigger, then resumes it; returns the log of both parts.</summary>
    private string StopAndResume(LoadedConfig loaded, string directory, Func<string, bool> trigger)
    {
        Stop(loaded, directory, trigger);
        new ExperimentRunner(new StringWriter(), false) { CacheDirectory = _dir.File("cache") }.Resume(loaded, directory);
        return File.ReadAllText(Path.Combine(directory, "train.log"));
    }

    private static Func<string, bool> Trigger(StopPoint point, bool joint) => point switch
    {
        StopPoint.BetweenStages => line => line.StartsWith("eval after stage 2/", StringComparison.Ordinal),
        StopPoint.AfterLastStage => line => line.StartsWith("eval after stage 3/3 ", StringComparison.Ordinal),
        StopPoint.MidStage => line => Regex.IsMatch(line, joint ? @"^stage 1/1 \S+ step 3/" : @"^stage 3/3 \S+ step 2/"),
        _ => line => Regex.Match(line, @"^stage 2/3 \S+ step (\d+)/(\d+):") is { Success: true } m && m.Groups[1].Value == m.Groups[2].Value,
    };

    private static string Status(string directory) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "metrics.json")))!["status"]!.GetValue<string>();

    private static void AssertSameRun(string twin, string resumed, string log)
    {
        Assert.Contains("resume", log);
        var a = JsonNode.Parse(File.ReadAllText(Path.Combine(twin, "metrics.json")))!;
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(resumed, "metrics.json")))!;
        Assert.Equal("completed", b["status"]!.GetValue<string>());
        Assert.Equal(1, b["resumes"]!.GetValue<int>());
        foreach (var key in new[] { "accuracy_matrix", "token_accuracy_matrix", "heldout", "router_accuracy", "loss_curve", "trained_tokens", "strategy_report" })
            Assert.True(JsonNode.DeepEquals(a[key], b[key]), $"{key} differs:\n{a[key]?.ToJsonString()}\n{b[key]?.ToJsonString()}\n{log}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(twin, "model.pt")), File.ReadAllBytes(Path.Combine(resumed, "model.pt")));
        foreach (var adapter in Directory.GetFiles(twin, "*.safetensors", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(adapter), File.ReadAllBytes(Path.Combine(resumed, Path.GetRelativePath(twin, adapter))));
        Assert.False(File.Exists(RunCheckpoint.PathIn(resumed)), "the completed run's checkpoint is removed");
    }
}
