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

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("4712", null, null, "4712")]
    [InlineData("4715", "4711", "3", "4711_3")]  // task 3 of array 4711 (its own job id is another number)
    public void Job_IsNamedAsSqueueAndTheLogFileNameIt(string? jobId, string? arrayJobId, string? taskId, string? expected)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SLURM_JOB_ID"] = jobId, ["SLURM_ARRAY_JOB_ID"] = arrayJobId, ["SLURM_ARRAY_TASK_ID"] = taskId,
        };

        Assert.Equal(expected, SlurmAllocation.Job(name => environment.GetValueOrDefault(name)));
    }
}
