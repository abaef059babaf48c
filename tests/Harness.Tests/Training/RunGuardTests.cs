using System.Text.Json.Nodes;
using Harness.Metrics.Reports;
using Harness.Tests.Cli;
using Harness.Training;

namespace Harness.Tests.Training;

/// <summary>
/// What guards a run: a failing run says <c>failed</c> and why and keeps its checkpoint; a config whose estimated
/// memory is above the limit is refused before anything is written; two runs never share a folder.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class RunGuardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DivergingRun_FailsWithOneLine_StatusFailed_AndKeepsWhatWasDone()
    {
        // Given plain SGD at learning rate 10, which overflows within the first stage
        var config = TinyConfig.WriteTo(_dir, "blowup.yaml", TinyConfig.Yaml(name: "blowup",
            training: "{optimizer: sgd, batch_size: 8, epochs: 3, lr: 10, grad_clip: 0, log_every: 1}"));
        // When it runs
        var result = CliResult.Run(config, "--out", _dir.File("run"), "--cache-dir", _dir.File("cache"));
        // Then it exits 1 with one line naming stage, domain and step (no stack trace) ...
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.Matches(@"^error: stage 1/2 math step \d+/\d+: the loss is (NaN|Infinity|-Infinity) \(training\.on_nonfinite: stop", line);
        // ... metrics.json says failed with the same reason, and the evaluation before training is kept for a resume
        var metrics = JsonNode.Parse(File.ReadAllText(_dir.File("run/metrics.json")))!;
        Assert.Equal("failed", (string?)metrics["status"]);
        Assert.Equal(line["error: ".Length..], (string?)metrics["error"]);
        Assert.Equal(0, (int)metrics["completed_stages"]!);
        Assert.True(File.Exists(RunCheckpoint.PathIn(_dir.File("run"))));
        Assert.False(RunRecord.IsCompleted(_dir.File("run")));
    }

    [Fact]
    public void ConfigAboveTheMemoryLimit_IsRefusedBeforeAnythingIsWritten()
    {
        // Given a limit of 1 MiB, far below the tiny run's estimate (the bpe vocabulary alone is larger)
        var config = TinyConfig.WriteTo(_dir, "big.yaml", TinyConfig.Yaml(name: "big",
            training: "{batch_size: 8, epochs: 3, lr: 0.003,\n  max_memory_mb: 1}"));
        // When it runs
        var result = CliResult.Run(config, "--out", _dir.File("run"), "--cache-dir", _dir.File("cache"));
        // Then one line names file, line and key with the estimate, and no run folder exists
        var line = result.InputErrorLine($"{config}:11:3: training.max_memory_mb: the run needs an estimated ");
        Assert.Contains("above the limit of 1 MiB", line);
        Assert.False(Directory.Exists(_dir.File("run")));
    }

    [Fact]
    public void EveryRun_LogsItsMemoryEstimate_AndReportsItsPeakMemory()
    {
        var config = TinyConfig.WriteTo(_dir);
        var result = CliResult.Run(config, "--out", _dir.File("run"), "--cache-dir", _dir.File("cache"));
        Assert.True(result.ExitCode == 0, result.ToString());
        // The peak resident memory is at least what this test process already holds (libtorch alone is ~100 MiB)
        var metrics = JsonNode.Parse(File.ReadAllText(_dir.File("run/metrics.json")))!;
        Assert.InRange((double)metrics["peak_rss_mb"]!, 100, 24 * 1024);
        Assert.Matches(@"done in [\d.]+ s, peak memory \d+ MiB: ", result.Stdout);
        Assert.Matches(@"memory estimate: weights [\d.]+ \+ gradients [\d.]+ \+ optimiser [\d.]+ \+ teacher 0\.0 \+ anchors 0\.0 \+ replay buffer [\d.]+ \+ data 0\.0 \+ activations [\d.]+ = [\d.]+ MiB \(limit \d+ MiB\)", result.Stdout);
    }

    [Fact]
    public void OutFolderHoldingOnlyAStaleLock_IsTaken()
    {
        // Given a folder a killed run had just claimed (its lock file, nothing else)
        var loaded = Harness.Config.ConfigLoader.Load(TinyConfig.WriteTo(_dir));
        Directory.CreateDirectory(_dir.File("claimed"));
        File.WriteAllText(Path.Combine(_dir.File("claimed"), RunFolderLock.FileName), "");
        // When a run is sent there with --out
        using var claim = RunDirectory.Create(_dir.File("claimed"), loaded.Config, _dir.File("results"));
        // Then it takes the folder
        Assert.Equal(_dir.File("claimed"), claim.Directory);
        Assert.True(RunFolderLock.IsHeld(claim.Directory));
    }

    [Fact]
    public void SameFolderTwice_SecondRunIsRefusedWhileTheFirstHoldsIt()
    {
        // Given a run folder claimed by a live run
        var loaded = Harness.Config.ConfigLoader.Load(TinyConfig.WriteTo(_dir));
        using var first = RunDirectory.Create(null, loaded.Config, _dir.File("results"));
        // When a second run of the same config starts in the same second, and another resumes the first's folder
        using var second = RunDirectory.Create(null, loaded.Config, _dir.File("results"));
        var resume = Assert.Throws<Harness.Config.HarnessInputException>(() => RunFolderLock.ClaimExisting(first.Directory));
        // Then the second gets its own folder, and the live one cannot be taken
        Assert.NotEqual(first.Directory, second.Directory);
        Assert.Contains("another Harness process is running in this folder", resume.Message);
        Assert.True(RunFolderLock.IsHeld(first.Directory));
        first.Dispose();
        Assert.False(RunFolderLock.IsHeld(first.Directory));
    }
}
