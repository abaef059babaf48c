using System.Globalization;

namespace Harness.Slurm;

/// <summary>
/// The CPU cores Slurm gave the job this process runs in. A cluster that does not bind tasks to their cores lets
/// libtorch see the whole node, and tasks sharing it then run more threads than cores, which stalls every step of
/// them all; so a run inside a Slurm job uses the cores it was given unless its config sets <c>threads</c>.
/// </summary>
internal static class SlurmAllocation
{
    /// <summary>
    /// SLURM_CPUS_PER_TASK (set when the job asked for --cpus-per-task), else SLURM_CPUS_ON_NODE (the job's cores on
    /// this node, which a one-task job owns); null outside a Slurm job.
    /// </summary>
    public static int? Cpus(Func<string, string?> environment)
    {
        if (string.IsNullOrEmpty(environment("SLURM_JOB_ID"))) return null;
        foreach (var name in new[] { "SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE" })
            if (int.TryParse(environment(name), NumberStyles.None, CultureInfo.InvariantCulture, out var cpus) && cpus > 0)
                return cpus;
        return null;
    }

    /// <summary>The Slurm job this process runs in, as squeue and the log file name write it ("4711_3" for task 3 of array 4711); null outside one.</summary>
    public static string? Job(Func<string, string?> environment) =>
        environment("SLURM_ARRAY_JOB_ID") is { Length: > 0 } array && environment("SLURM_ARRAY_TASK_ID") is { Length: > 0 } task
            ? $"{array}_{task}"
            : environment("SLURM_JOB_ID") is { Length: > 0 } id ? id : null;
}
