using Harness.Bench;
using Harness.Config;
using Harness.Data;
using Harness.Training;

namespace Harness.Cli;

/// <summary>
/// <c>bench [--quick] [--vs-pytorch] [--repeats N] [--out DIR] [--python PATH] [--mnist DIR]</c>: the speed benchmark
/// (<see cref="BenchRunner"/>). It reports; it does not fail on a missed target.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Parses <paramref name="args"/> (everything after <c>bench</c>) and runs the bench.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var line = CommandLine.Parse("bench", args, ["--repeats", "--out", "--python", "--mnist"], ["--quick", "--vs-pytorch"]);
        if (line.Positionals.Count > 0) throw new HarnessInputException($"bench: unexpected argument {line.Positionals[0]} (see ./run.sh --help)");
        var defaults = new BenchOptions { OutDirectory = "", RepositoryRoot = "" };
        var options = new BenchOptions
        {
            Quick = line.Flag("--quick"),
            VsPyTorch = line.Flag("--vs-pytorch"),
            Repeats = line.Integer("--repeats", min: 5) ?? defaults.Repeats,
            OutDirectory = line.Value("--out") ?? Path.Combine(RunDirectory.DefaultResultsRoot, "bench"),
            RepositoryRoot = DataPaths.Repository() ??
                             throw new HarnessInputException("bench: cannot find the repository (Harness.sln) above the binaries; run it as ./run.sh bench"),
            Python = line.Value("--python") ?? defaults.Python,
            MnistDirectory = line.Folder("--mnist"),
        };
        new BenchRunner(options, stdout).Run();
        return 0;
    }
}
