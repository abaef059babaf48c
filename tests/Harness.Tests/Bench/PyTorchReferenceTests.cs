using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Bench;
using Harness.Config;
using Harness.Data;
using static TorchSharp.torch;

namespace Harness.Tests.Bench;

/// <summary>
/// The data the PyTorch reference trains on is what Harness recorded, and the reference answers the bench's commands.
/// Where Debian's python3-torch is missing, starting it fails with the install line instead.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PyTorchReferenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Repository => DataPaths.Repository()!;

    private static bool PythonHasTorch(string python)
    {
        if (!File.Exists(python)) return false;
        using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true })!;
        probe.StandardError.ReadToEnd();
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    [Fact]
    public void WriteSpec_ThenServe_TrainsExactlyTheRecordedBatches()
    {
        // Given the GPT and MLP workloads at their smallest, written out for the reference
        using var gpt = GptBench.Prepare(Path.Combine(Repository, "configs"), epochs: 1, CPU);
        using var mlp = MlpBench.Prepare(Path.Combine(Repository, "configs"), DataPaths.MnistFixture, trainSize: 256, epochs: 1, CPU);
        var folder = _dir.File("spec");
        PyTorchSpec.Write(folder, threads: 1, gpt, mlp, CPU);

        // Then every recorded batch is there with its shape, and the files hold exactly that many values
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "spec.json")))!;
        var batches = spec["gpt"]!["batches"]!.AsArray();
        Assert.Equal(gpt.Recorded.Count, batches.Count);
        for (int i = 0; i < batches.Count; i++)
        {
            var shape = batches[i]!["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            long answers = gpt.Recorded[i].Sum(s => s.AnswerRowCount);
            Assert.Equal(gpt.Recorded[i].Count, shape[0]);
            Assert.Equal(shape[0] * shape[1] * 8, new FileInfo(Path.Combine(folder, (string)batches[i]!["inputs"]!)).Length);
            Assert.Equal(answers * 8, new FileInfo(Path.Combine(folder, (string)batches[i]!["targets"]!)).Length);
            Assert.Equal(answers, (long)batches[i]!["count"]!);
        }
        Assert.Equal(mlp.Recorded.Count, spec["mlp"]!["batches"]!.AsArray().Count);
        Assert.Equal(784, (int)spec["mlp"]!["input"]!);
        Assert.Equal(gpt.VocabSize, (int)spec["gpt"]!["vocab_size"]!);

        // When the reference serves it
        var python = new BenchOptions { OutDirectory = "", RepositoryRoot = "" }.Python;
        var script = Path.Combine(Repository, "bench", "pytorch_reference.py");
        if (!PythonHasTorch(python))
        {
            // Then without PyTorch the bench says how to install it
            var e = Assert.Throws<HarnessInputException>(() => PyTorchReference.Start(python, script, folder));
            Assert.Contains("apt-get install python3-torch libopenblas0-openmp", e.Message);
            return;
        }
        using var reference = PyTorchReference.Start(python, script, folder);
        var gptPass = reference.Run("gpt");
        var mlpPass = reference.Run("mlp");
        // Then each pass trained every batch once: the same steps and tokens/images as Harness's bare loop
        Assert.Equal((gpt.Recorded.Count, gpt.Bare().Units), (gptPass.Steps, gptPass.Units));
        Assert.Equal((mlp.Recorded.Count, (long)mlp.Recorded.Sum(b => b.Count)), (mlpPass.Steps, mlpPass.Units));
        Assert.True((bool)reference.Info["matmul_exact"]!);
        Assert.Equal(1, (int)reference.Info["threads"]!);
    }

    [Fact]
    public void Start_PythonWithoutTorch_FailsWithTheInstallLine()
    {
        // Given a "python" that, like one without torch, exits before it is ready
        var fake = _dir.File("python");
        File.WriteAllText(fake, "#!/bin/sh\necho 'No module named torch' >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // When the bench starts the reference with it
        var e = Assert.Throws<HarnessInputException>(() => PyTorchReference.Start(fake, "script.py", _dir.Path));
        // Then the error names the exit and the install line
        Assert.Contains("exited with 3 before it was ready", e.Message);
        Assert.Contains("apt-get install python3-torch libopenblas0-openmp", e.Message);
    }
}
