using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Metrics.IO;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// bench/pytorch_reference.py as a long-lived process: it loads the batches Harness recorded (written by
/// <see cref="WriteSpec"/>), then runs one timed pass per command, so Harness and PyTorch take turns on an
/// otherwise idle machine. Debian 12: <c>apt-get install python3-torch libopenblas0-openmp</c>.
/// </summary>
internal sealed class PyTorchReference : IDisposable
{
    private readonly Process _process;

    /// <summary>What the script reported at start-up: torch version, threads, BLAS, a matmul's GFLOP/s.</summary>
    public JsonObject Info { get; }

    private PyTorchReference(Process process, JsonObject info) => (_process, Info) = (process, info);

    /// <summary>
    /// Writes <paramref name="folder"/>/spec.json and the batches as raw little-endian arrays: the GPT workload's
    /// timed-stage batches and the MLP workload's batches, with both models' shapes and optimiser settings.
    /// </summary>
    public static void WriteSpec(string folder, int threads, GptBench gpt, MlpBench mlp, Device device)
    {
        Directory.CreateDirectory(folder);
        var gptBatches = Batches(gpt.Recorded, device, (batch, i) => new JsonObject
        {
            ["inputs"] = Write(folder, $"gpt-{i}-inputs.bin", batch.Inputs),
            ["shape"] = Shape(batch.Inputs),
            ["positions"] = Write(folder, $"gpt-{i}-positions.bin", batch.AnswerPositions),
            ["targets"] = Write(folder, $"gpt-{i}-targets.bin", batch.AnswerTargets),
            ["count"] = batch.AnswerTargets.shape[0],
            ["tokens"] = batch.TokenCount,
        });
        var mlpBatches = Batches(mlp.Recorded, device, (batch, i) => new JsonObject
        {
            ["pixels"] = Write(folder, $"mlp-{i}-pixels.bin", batch.Inputs),
            ["shape"] = Shape(batch.Inputs),
            ["targets"] = Write(folder, $"mlp-{i}-targets.bin", batch.AnswerTargets),
            ["samples"] = batch.TokenCount,
        });
        var model = gpt.Config.Model;
        var spec = new JsonObject
        {
            ["threads"] = threads,
            ["seed"] = gpt.Config.Seed,
            ["gpt"] = new JsonObject
            {
                ["vocab_size"] = gpt.VocabSize,
                ["d_model"] = model.DModel,
                ["layers"] = model.Layers,
                ["heads"] = model.Heads,
                ["context"] = model.Context,
                ["dropout"] = model.Dropout,
                ["optimizer"] = Optimizer(gpt.Config.Training),
                ["grad_clip"] = gpt.Config.Training.GradClip,
                ["batches"] = gptBatches,
            },
            ["mlp"] = new JsonObject
            {
                ["input"] = mlp.Features,
                ["hidden"] = new JsonArray(mlp.Config.Model.Hidden.Select(h => (JsonNode)h).ToArray()),
                ["classes"] = mlp.Outputs,
                ["optimizer"] = Optimizer(mlp.Config.Training),
                ["grad_clip"] = mlp.Config.Training.GradClip,
                ["batches"] = mlpBatches,
            },
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "spec.json"), spec.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>Each recorded batch collated as Harness collates it, described (and its files written) by <paramref name="describe"/>.</summary>
    private static JsonArray Batches(IReadOnlyList<IReadOnlyList<TrainingSample>> recorded, Device device, Func<TrainingBatch, int, JsonObject> describe)
    {
        var batches = new JsonArray();
        for (int i = 0; i < recorded.Count; i++)
        {
            using var batch = new TrainingBatch(recorded[i], device);
            batches.Add(describe(batch, i));
        }
        return batches;
    }

    private static JsonArray Shape(Tensor tensor) => new(tensor.shape.Select(d => (JsonNode)d).ToArray());

    private static JsonObject Optimizer(TrainingConfig training) => new()
    {
        ["lr"] = training.Lr,
        ["betas"] = new JsonArray(0.9, 0.999),
        ["eps"] = training.AdamEps,
        ["weight_decay"] = training.WeightDecay,
    };

    /// <summary>Writes <paramref name="values"/> (on any device) as raw bytes; returns the file name.</summary>
    private static string Write(string folder, string name, Tensor values)
    {
        using var host = values.cpu().contiguous();
        byte[] bytes = host.dtype switch
        {
            ScalarType.Int64 => MemoryMarshal.AsBytes(host.data<long>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float32 => MemoryMarshal.AsBytes(host.data<float>().ToArray().AsSpan()).ToArray(),
            var other => throw new ArgumentException($"cannot write {other}"),
        };
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return name;
    }

    /// <summary>Starts <paramref name="script"/> with <paramref name="python"/> on the spec in <paramref name="folder"/> and waits until it is ready.</summary>
    public static PyTorchReference Start(string python, string script, string folder)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false, // its warnings reach the terminal
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, folder, "--serve" }) start.ArgumentList.Add(arg);
        if (Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is null && OpenBlasCore() is { } core)
            start.Environment["OPENBLAS_CORETYPE"] = core;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new HarnessInputException($"--vs-pytorch: could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HarnessInputException($"--vs-pytorch: cannot run {python} ({e.Message}); on Debian: apt-get install python3-torch libopenblas0-openmp");
        }
        var first = process.StandardOutput.ReadLine();
        if (first is null)
        {
            process.WaitForExit();
            throw new HarnessInputException($"--vs-pytorch: {script} exited with {process.ExitCode} before it was ready " +
                                            "(is PyTorch installed? apt-get install python3-torch libopenblas0-openmp)");
        }
        var reference = new PyTorchReference(process, Parse(first));
        if (reference.Info["matmul_exact"]?.GetValue<bool>() != true)
        {
            reference.Dispose();
            throw new InvalidOperationException($"--vs-pytorch: PyTorch's BLAS ({reference.Info["blas"]}) computes wrong matrix products on this CPU; " +
                                                "set OPENBLAS_CORETYPE to an older kernel (e.g. Haswell) and run again");
        }
        return reference;
    }

    /// <summary>
    /// The OpenBLAS kernel family this CPU's flags support (SkylakeX for AVX-512, Haswell for AVX2 + FMA), or null.
    /// OpenBLAS chooses by the CPU's model name, and a virtual CPU without one gets the oldest kernels (Prescott,
    /// a fifth of the speed), while libtorch's MKL picks its AVX-512 path by the flags: without this, the comparison
    /// would measure OpenBLAS's CPU detection. The reference checks its products are exact before it is used.
    /// </summary>
    private static string? OpenBlasCore()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return null;
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ').ToHashSet() ?? [];
        if (new[] { "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd" }.All(flags.Contains)) return "SkylakeX";
        return flags.Contains("avx2") && flags.Contains("fma") ? "Haswell" : null;
    }

    /// <summary>One untimed pass of <paramref name="workload"/> (gpt or mlp).</summary>
    public void Warmup(string workload) => Ask($"warmup {workload}");

    /// <summary>One timed pass of <paramref name="workload"/>; units are tokens (gpt) or samples (mlp).</summary>
    public BenchSample Run(string workload)
    {
        var answer = Ask(workload);
        long units = workload == "gpt" ? answer["tokens"]!.GetValue<long>() : answer["samples"]!.GetValue<long>();
        return new BenchSample(answer["seconds"]!.GetValue<double>(), answer["steps"]!.GetValue<int>(), units);
    }

    private JsonObject Ask(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the PyTorch reference exited during '{command}'");
        var answer = Parse(line);
        if (answer["error"] is { } error) throw new InvalidOperationException($"the PyTorch reference: {error}");
        return answer;
    }

    private static JsonObject Parse(string line) =>
        JsonNode.Parse(line) as JsonObject ?? throw new InvalidOperationException($"the PyTorch reference said: {line}");

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        catch (IOException)
        {
            // its stdin is closed: already gone
        }
        _process.Dispose();
    }

    /// <summary>Describes <see cref="Info"/> in one line.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"PyTorch {Info["torch"]}, {Info["threads"]} threads, BLAS {Info["blas"]}, matmul 512x512 {Info["matmul_gflops"]?.GetValue<double>():F0} GFLOP/s");
}
