namespace Harness.Metrics;

/// <summary>
/// A metrics input file (for example an accuracy-matrix CSV) is malformed. The message has the form
/// <c>path:line: what is wrong</c>, so editors and terminals can jump to the offending line.
/// </summary>
public sealed class MetricsInputException : Exception
{
    /// <summary>Creates the exception for <paramref name="problem"/> found at <paramref name="path"/>:<paramref name="line"/>.</summary>
    /// <param name="path">The file as the caller named it.</param>
    /// <param name="line">1-based line number of the problem.</param>
    /// <param name="problem">What is wrong, in words a researcher can act on.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public MetricsInputException(string path, int line, string problem, Exception? innerException = null)
        : base($"{path}:{line}: {problem}", innerException)
    {
        FilePath = path;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number of the problem.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Problem { get; }
}
