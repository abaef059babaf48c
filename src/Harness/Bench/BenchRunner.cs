using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Benchmarks;
using Harness.Config;
using Harness.Metrics.IO;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// <c>./run.sh bench</c>: prepares every workload, warms each once, then runs the repeats interleaved (each repeat runs
/// every workload once, starting one further along each time, so a slow spell of the machine spreads over all of
/// them), and reports medians, bests and the ratios against their targets; writes bench.json.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, TextWriter stdout)
{
    /// <summary>Runs the bench; returns the report (also printed and written).</summary>
    public BenchReport Run()
    {
        var device = DeviceSelector.Resolve("auto");
        int threads = torch.get_num_threads();
        double gflops = CalibrationWorkload.Measure(device);
        var machine = new JsonObject
        {
            ["created"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["mode"] = options.Quick ? "quick" : "full",
            ["repeats"] = options.Repeats,
            ["cores"] = Environment.ProcessorCount,
            ["threads"] = threads,
            ["device"] = device.type.ToString().ToLowerInvariant(),
            ["matmul_gflops"] = gflops,
        };
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench ({machine["mode"]}): {device.type}, {Environment.ProcessorCount} cores, {threads} threads, matmul 512x512 {gflops:F0} GFLOP/s"));
        var configs = Path.Combine(options.RepositoryRoot, "configs");
        var clock = Stopwatch.StartNew();
        using var gpt = GptBench.Prepare(configs, options.GptEpochs, device);
        if (options.MnistDirectory is null && ImageDataStore.Missing("mnist") is not null)
            ImageDataFetcher.Fetch("mnist", null, null, stdout);
        using var mlp = MlpBench.Prepare(configs, options.MnistDirectory, options.MlpTrainSize, epochs: 1, device);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"prepared in {clock.Elapsed.TotalSeconds:F0} s: GPT {gpt.Recorded.Count} steps a repeat at batch {gpt.Config.Training.BatchSize}, " +
            $"MLP {mlp.Recorded.Count} steps at batch {mlp.Config.Training.BatchSize}, decoding {gpt.TestSamples.Sum(d => d.Count)} test prompts"));

        using var reference = options.VsPyTorch ? StartPyTorch(gpt, mlp, threads, device, machine) : null;
        var workloads = new List<(BenchSeries Series, Func<BenchSample> Run)>
        {
            (new("gpt_bare", "bare TorchSharp loop, GPT", "tok"), gpt.Bare),
            (new("gpt_naive", "Harness trainer, naive, GPT", "tok"), () => gpt.Train("naive")),
            (new("gpt_replay", "Harness trainer, replay, GPT", "tok"), () => gpt.Train("replay")),
            (new("gpt_distillation", "Harness trainer, distillation, GPT", "tok"), () => gpt.Train("distillation")),
            (new("mlp_bare", "bare TorchSharp loop, MLP Split MNIST", "img"), mlp.Bare),
            (new("mlp_harness", "Harness trainer, MLP Split MNIST", "img"), mlp.Train),
            (new("decode_cached", "greedy decoding, key/value cache", "prompt"), () => gpt.Decode(cached: true)),
            (new("decode_recompute", "greedy decoding, recomputing the prefix", "prompt"), () => gpt.Decode(cached: false)),
        };
        if (reference is not null)
        {
            workloads.Insert(4, (new("gpt_pytorch", "PyTorch, GPT", "tok"), () => reference.Run("gpt")));
            workloads.Add((new("mlp_pytorch", "PyTorch, MLP Split MNIST", "img"), () => reference.Run("mlp")));
        }
        foreach (var (series, run) in workloads.Where(w => !w.Series.Key.EndsWith("_pytorch", StringComparison.Ordinal)))
            run(); // warm-up: first-call costs out of the timings
        for (int repeat = 0; repeat < options.Repeats; repeat++)
        {
            var started = clock.Elapsed;
            for (int i = 0; i < workloads.Count; i++)
            {
                var (series, run) = workloads[(i + repeat) % workloads.Count];
                series.Samples.Add(run());
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"repeat {repeat + 1}/{options.Repeats}: {(clock.Elapsed - started).TotalSeconds:F0} s"));
        }
        double? peak = options.MeasureDefaultRun ? DefaultRunPeakMemory(configs) : null;
        var report = new BenchReport(workloads.Select(w => w.Series).ToList(), peak, machine);
        stdout.WriteLine();
        stdout.Write(report.Table());
        Directory.CreateDirectory(options.OutDirectory);
        var path = Path.Combine(options.OutDirectory, "bench.json");
        AtomicFile.WriteAllText(path, report.ToJson().ToJsonString(new() { WriteIndented = true }));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nbench.json: {path} ({clock.Elapsed.TotalSeconds:F0} s)"));
        return report;
    }

    private PyTorchReference StartPyTorch(GptBench gpt, MlpBench mlp, int threads, TorchSharp.torch.Device device, JsonObject machine)
    {
        var data = Path.Combine(options.OutDirectory, "pytorch-data");
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        PyTorchSpec.Write(data, threads, gpt, mlp, device);
        var reference = PyTorchReference.Start(options.Python, Path.Combine(options.RepositoryRoot, "bench", "pytorch_reference.py"), data,
            device.type == DeviceType.CUDA ? "cuda" : "cpu"); // the same hardware as Harness
        try
        {
            machine["pytorch"] = reference.Info.DeepClone();
            stdout.WriteLine(reference.Describe());
            reference.Warmup("gpt");
            reference.Warmup("mlp");
            return reference;
        }
        catch
        {
            reference.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains configs/replay.yaml, the default run, in a child process (its own memory, as a user runs it) and returns
    /// the peak resident memory it reports in metrics.json. A cold pretraining cache makes it pretrain first, as a first
    /// run does.
    /// </summary>
    private double? DefaultRunPeakMemory(string configs)
    {
        var folder = Path.Combine(options.OutDirectory, "default-run");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        // As ./run.sh runs it: `dotnet Harness.dll ...`, or the apphost itself when the bench was started that way.
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(BenchRunner).Assembly.Location);
        foreach (var arg in new[] { Path.Combine(configs, "replay.yaml"), "--out", folder }) start.ArgumentList.Add(arg);
        stdout.WriteLine("default run (configs/replay.yaml) in a child process ...");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the default run");
        try
        {
            process.StandardOutput.ReadToEnd(); // its log is in its train.log
            process.WaitForExit();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true); // the bench stopped: no orphan keeps training
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"the default run failed (exit {process.ExitCode}); see {folder}/train.log");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")))!;
        double? peak = metrics["peak_rss_mb"]?.GetValue<double>();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"default run: {clock.Elapsed.TotalSeconds:F0} s, peak RSS {peak:F0} MiB"));
        Directory.Delete(folder, recursive: true);
        return peak;
    }
}
