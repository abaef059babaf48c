namespace Harness.Tests;

/// <summary>
/// Tests that run TorchSharp models. They share the machine's two cores, so the collection runs on its own,
/// never in parallel with another test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
