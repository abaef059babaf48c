namespace Harness.Tests.Slurm;

/// <summary>The tests that share one loopback cluster; they run alone, since its jobs need the machine's cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmCollection : ICollectionFixture<LoopbackSlurmCluster>
{
    public const string Name = "slurm";
}
