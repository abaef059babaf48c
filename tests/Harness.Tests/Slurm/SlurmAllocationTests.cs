using Harness.Slurm;

namespace Harness.Tests.Slurm;

/// <summary>How many CPU threads a run inside a Slurm job takes when its config leaves <c>threads</c> at 0.</summary>
public sealed class SlurmAllocationTests
{
    [Theory]
    [InlineData(null, "4", "8", null)]        // not in a Slurm job: libtorch's default
    [InlineData("17", "4", "8", 4)]           // --cpus-per-task 4 on a node where the job holds 8
    [InlineData("17", null, "1", 1)]          // no --cpus-per-task: the job's cores on this node
    [InlineData("17", "0", "2", 2)]
    [InlineData("17", "x", null, null)]       // nothing usable
    public void Cpus_ComeFromTheJobsAllocation(string? jobId, string? cpusPerTask, string? cpusOnNode, int? expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SLURM_JOB_ID"] = jobId, ["SLURM_CPUS_PER_TASK"] = cpusPerTask, ["SLURM_CPUS_ON_NODE"] = cpusOnNode,
        };

        Assert.Equal(expected, SlurmAllocation.Cpus(name => environment.GetValueOrDefault(name)));
    }
}
