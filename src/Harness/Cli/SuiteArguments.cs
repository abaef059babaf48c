using Harness.Config;
using Harness.Experiments;
using Harness.Metrics.Reports;

namespace Harness.Cli;

/// <summary>
/// The options <c>suite</c> and <c>slurm</c> share, parsed and checked once: which runs (--only, --seeds or --seed),
/// where (--out, --cache-dir), on what (--device), and the regression baseline (--baseline, --update-baseline), whose
/// file is read now, before hours of training, so a typo fails at once.
/// </summary>
internal sealed record SuiteArguments(string SuiteFile, SuiteOptions Options, string? BaselinePath, bool UpdateBaseline, RegressionBaseline? Baseline)
{
    /// <summary>The shared value options, for <see cref="CommandLine.Parse"/>.</summary>
    public static readonly string[] ValueOptions = ["--only*", "--seeds", "--seed*", "--out", "--device", "--cache-dir", "--baseline"];

    /// <summary>The shared flags.</summary>
    public static readonly string[] Flags = ["--update-baseline"];

    /// <summary>Reads the shared options of <paramref name="line"/>, which must name exactly one suite file.</summary>
    public static SuiteArguments From(CommandLine line)
    {
        if (line.Positionals.Count != 1) throw new HarnessInputException($"{line.Command} takes exactly one suite file (see ./run.sh --help)");
        if (line.Value("--seeds") is not null && line.Values("--seed").Count > 0)
            throw new HarnessInputException($"{line.Command}: give --seeds N (the first N seeds) or --seed S (exactly those), not both");
        var baselinePath = line.Value("--baseline");
        bool update = line.Flag("--update-baseline");
        if (update && baselinePath is null) throw new HarnessInputException($"{line.Command}: --update-baseline needs --baseline FILE (the file to write)");
        // To gate, or to keep its tolerances on update (a new file is fine then).
        var baseline = baselinePath is not null && (!update || File.Exists(baselinePath)) ? RegressionBaseline.Read(baselinePath) : null;
        var options = new SuiteOptions
        {
            OutDirectory = line.Value("--out"),
            Only = line.Values("--only"),
            SeedCount = line.Integer("--seeds", min: 1),
            Seeds = line.Integers("--seed"),
            Device = line.Device(),
            CacheDirectory = line.Value("--cache-dir"),
        };
        return new SuiteArguments(line.Positionals[0], options, baselinePath, update, baseline);
    }

    /// <summary>Loads the suite file, refusing a baseline that belongs to another suite.</summary>
    public SuiteDefinition LoadSuite()
    {
        var suite = SuiteLoader.Load(SuiteFile);
        if (Baseline is not null && Baseline.Suite.Length > 0 && Baseline.Suite != suite.Name)
            throw new HarnessInputException($"--baseline {BaselinePath}: is a baseline of suite '{Baseline.Suite}', not of '{suite.Name}'");
        return suite;
    }
}
