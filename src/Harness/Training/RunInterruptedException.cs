namespace Harness.Training;

/// <summary>A run stopped by SIGINT or SIGTERM after finishing its current step.</summary>
internal sealed class RunInterruptedException(StopSignal signal, string where)
    : Exception($"interrupted by {signal.Name} during {where}")
{
    /// <summary>The process exit code for this signal (130 SIGINT, 143 SIGTERM).</summary>
    public int ExitCode => signal.ExitCode;

    /// <summary>The signal's name.</summary>
    public string Signal => signal.Name;
}
