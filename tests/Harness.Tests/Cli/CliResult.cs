using Harness.Cli;

namespace Harness.Tests.Cli;

/// <summary>What one in-process <see cref="HarnessCli.Run"/> call returned and printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = HarnessCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The non-empty lines written to stderr.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Asserts an input error: exit 2 and exactly one stderr line, starting with <paramref name="expectedStart"/> after
    /// "error: "; returns that line for checks of its reason.
    /// </summary>
    public string InputErrorLine(string expectedStart)
    {
        Assert.True(ExitCode == 2, ToString());
        var line = Assert.Single(StderrLines);
        Assert.True(line.StartsWith("error: " + expectedStart, StringComparison.Ordinal), line);
        return line;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
