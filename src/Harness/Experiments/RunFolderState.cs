namespace Harness.Experiments;

/// <summary>What a suite finds in a run's folder before running it.</summary>
internal abstract record RunFolderState
{
    /// <summary>No folder, or an empty one: run.</summary>
    public sealed record Empty : RunFolderState;

    /// <summary>A completed run of the same resolved config: skip.</summary>
    public sealed record Finished : RunFolderState;

    /// <summary>An unfinished run, or one of another config: clear and run again.</summary>
    public sealed record Stale(string Reason) : RunFolderState;
}
