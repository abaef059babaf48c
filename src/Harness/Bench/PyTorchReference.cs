using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Config;

namespace Harness.Bench;

/// <summary>
/// bench/pytorch_reference.py as a long-lived process: it loads the batches Harness recorded (written by
/// <see cref="PyTorchSpec.Write"/>), then runs one timed pass per command, so Harness and PyTorch take turns on an
/// otherwise idle machine. Debian 12: <c>apt-get install python3-torch libopenblas0-openmp</c>.
/// </summary>
internal sealed class PyTorchReference : IDisposable
{
    private readonly Process _process;

    /// <summary>What the script reported at start-up: torch version, threads, BLAS, a matmul's GFLOP/s.</summary>
    public JsonObject Info { get; }

    private PyTorchReference(Process process, JsonObject info) => (_process, Info) = (process, info);

    /// <summary>
    /// Starts <paramref name="script"/> with <paramref name="python"/> on the spec in <paramref name="folder"/>, on
    /// <paramref name="device"/> (cpu or cuda, as Harness runs), and waits until it is ready (at most two minutes).
    /// </summary>
    public static PyTorchReference Start(string python, string script, string folder, string device = "cpu")
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false, // its warnings reach the terminal
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, folder, "--serve", "--device", device }) start.ArgumentList.Add(arg);
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
        try
        {
            var ready = process.StandardOutput.ReadLineAsync();
            if (!ready.Wait(TimeSpan.FromMinutes(2)))
                throw new InvalidOperationException($"--vs-pytorch: {script} was not ready after two minutes");
            if (ready.Result is not { } first)
            {
                process.WaitForExit();
                throw new HarnessInputException($"--vs-pytorch: {script} exited with {process.ExitCode} before it was ready " +
                                                "(is PyTorch installed? apt-get install python3-torch libopenblas0-openmp)");
            }
            var info = Parse(first);
            if (info["matmul_exact"]?.GetValue<bool>() != true)
                throw new InvalidOperationException($"--vs-pytorch: PyTorch's BLAS ({info["blas"]}) computes wrong matrix products on this CPU; " +
                                                    "set OPENBLAS_CORETYPE to an older kernel (e.g. Haswell) and run again");
            return new PyTorchReference(process, info);
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
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

    private static JsonObject Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new InvalidOperationException($"the PyTorch reference said: {line}");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new InvalidOperationException($"the PyTorch reference said: {line}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
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
