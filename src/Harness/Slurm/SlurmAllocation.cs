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
}
