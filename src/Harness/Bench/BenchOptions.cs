namespace Harness.Bench;

/// <summary>
/// How <c>./run.sh bench</c> runs: <see cref="Quick"/> shrinks every workload (the whole bench in under 3 minutes) and
/// skips the default run's memory measurement; <see cref="VsPyTorch"/> adds the PyTorch reference.
/// </summary>
internal sealed record BenchOptions
{
    /// <summary>Smaller workloads, no memory run.</summary>
    public bool Quick { get; init; }

    /// <summary>Run bench/pytorch_reference.py interleaved with Harness.</summary>
    public bool VsPyTorch { get; init; }

    /// <summary>Timed repeats of every workload (at least 5).</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Where bench.json (and the PyTorch reference's data) go.</summary>
    public required string OutDirectory { get; init; }

    /// <summary>The repository: configs/ and bench/ are read from it.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The Python that has PyTorch (Debian's python3-torch).</summary>
    public string Python { get; init; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>A folder of MNIST IDX files; null = the data cache (fetched if missing).</summary>
    public string? MnistDirectory { get; init; }

    /// <summary>Epochs of the timed GPT stage (5 steps an epoch at batch 64).</summary>
    public int GptEpochs => Quick ? 3 : 8;

    /// <summary>MNIST training images per task (batch 128).</summary>
    public int MlpTrainSize => Quick ? 1280 : 2560;

    /// <summary>Whether to measure the default run's peak memory (a child process training configs/replay.yaml).</summary>
    public bool MeasureDefaultRun => !Quick;
}
