namespace Harness.Experiments;

/// <summary>What a suite finds in a run's folder before running it.</summary>
internal abstract record RunFolderState
{
    /// <summary>No folder, or an empty one: run.</summary>
    public sealed record Empty : RunFolderState;

    /// <summary>A completed run of the same resolved config: skip.</summary>
    public sealed record Finished : RunFolderState;

    /// <summary>An unfinished run of the same config with a checkpoint, and no process running it: resume it.</summary>
    public sealed record Resumable : RunFolderState;

    /// <summary>A run another process is running right now: leave it alone.</summary>
    public sealed record Busy : RunFolderState;

    /// <summary>An unfinished run without a checkpoint, or one of another config: clear and run again.</summary>
    public sealed record Stale(string Reason) : RunFolderState;
}
