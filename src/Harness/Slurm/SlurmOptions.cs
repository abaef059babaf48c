namespace Harness.Slurm;

/// <summary>
/// What a <c>slurm</c> command asks of the cluster for each array task (the merge job takes the same partition,
/// account and time limit, one CPU and no GPU). Null leaves the cluster's default.
/// </summary>
internal sealed record SlurmOptions
{
    /// <summary>--partition: the queue the jobs go to.</summary>
    public string? Partition { get; init; }

    /// <summary>--account: the account charged, where the cluster requires one.</summary>
    public string? Account { get; init; }

    /// <summary>--time: each task's limit, in Slurm's format (minutes, HH:MM:SS, D-HH:MM...).</summary>
    public string? Time { get; init; }

    /// <summary>--gpus-per-task: GPUs for each run; with one or more, runs use --device cuda unless told otherwise.</summary>
    public int? GpusPerTask { get; init; }

    /// <summary>--cpus-per-task: cores for each run (Slurm's default is one).</summary>
    public int? CpusPerTask { get; init; }

    /// <summary>--mem: memory for each run, in Slurm's format (e.g. 8G).</summary>
    public string? Memory { get; init; }

    /// <summary>--max-parallel: at most this many tasks at once (the array's %M).</summary>
    public int? MaxParallel { get; init; }

    /// <summary>--sbatch: further sbatch options, each written as an <c>#SBATCH</c> line of both scripts (e.g. --qos=long).</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];
}
