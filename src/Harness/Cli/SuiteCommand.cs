using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Experiments;
using Harness.Metrics.IO;
using Harness.Metrics.Reports;
using Harness.Training;

namespace Harness.Cli;

/// <summary>
/// <c>suite FILE [--only VARIANT]... [--seeds N | --seed S...] [--out DIR] [--device D] [--cache-dir DIR]
/// [--baseline FILE [--update-baseline]]</c>: runs a suite (skipping finished runs), writes its report, and with
/// --baseline gates it: exit 1 and a table of what regressed. --update-baseline writes the suite's means as the new
/// baseline instead, keeping the old file's tolerances.
/// </summary>
internal static class SuiteCommand
{
    /// <summary>Parses <paramref name="args"/> (everything after <c>suite</c>) and runs the suite.</summary>
    public static int Run(string[] args, TextWriter stdout, bool interactive, StopSignal? stop = null)
    {
        var line = CommandLine.Parse("suite", args,
            ["--only*", "--seeds", "--seed*", "--out", "--device", "--cache-dir", "--baseline"], ["--update-baseline"]);
        if (line.Positionals.Count != 1) throw new HarnessInputException("suite takes exactly one suite file (see ./run.sh --help)");
        if (line.Value("--seeds") is not null && line.Values("--seed").Count > 0)
            throw new HarnessInputException("suite: give --seeds N (the first N seeds) or --seed S (exactly those), not both");
        var baselinePath = line.Value("--baseline");
        bool update = line.Flag("--update-baseline");
        if (update && baselinePath is null) throw new HarnessInputException("suite: --update-baseline needs --baseline FILE (the file to write)");
        // Read the baseline (to gate, or to keep its tolerances on update) before hours of training, so a typo fails now.
        var baseline = baselinePath is not null && (!update || File.Exists(baselinePath)) ? RegressionBaseline.Read(baselinePath) : null;

        var suite = SuiteLoader.Load(line.Positionals[0]);
        if (baseline is not null && baseline.Suite.Length > 0 && baseline.Suite != suite.Name)
            throw new HarnessInputException($"--baseline {baselinePath}: is a baseline of suite '{baseline.Suite}', not of '{suite.Name}'");
        var options = new SuiteOptions
        {
            OutDirectory = line.Value("--out"),
            Only = line.Values("--only"),
            SeedCount = line.Integer("--seeds", min: 1),
            Seeds = line.Integers("--seed"),
            Device = line.Device(),
            CacheDirectory = line.Value("--cache-dir"),
        };
        stop?.Arm();
        var outcome = new SuiteRunner(stdout, interactive) { Stop = stop }.Run(suite, options);
        int exit = outcome.Failed.Count == 0 ? 0 : 1;
        foreach (var failed in outcome.Failed) stdout.WriteLine($"FAILED: {failed.Variant} seed {failed.Seed}: {failed.Reason} ({failed.Directory})");

        if (update && outcome.Failed.Count > 0)
            stdout.WriteLine($"baseline NOT written: {outcome.Failed.Count} run(s) failed; a baseline must come from finished runs");
        else if (update)
        {
            var provenance = new JsonObject
            {
                ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["machine"] = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                ["command"] = "./run.sh suite " + string.Join(' ', args),
            };
            var fresh = RegressionBaseline.From(outcome.Summary, baseline?.Tolerances ?? RegressionTolerance.Defaults, baseline?.Variants, provenance);
            // A suite narrowed with --only updates those variants; every other entry of the old baseline stays as it was.
            if (baseline is not null && options.Only.Count > 0)
            {
                var merged = baseline.Variants.ToDictionary(v => v.Key, v => v.Value);
                foreach (var label in options.Only)
                    if (fresh.Variants.TryGetValue(label, out var updated)) merged[label] = updated;
                fresh = fresh with { Variants = merged };
            }
            fresh.Write(baselinePath!);
            stdout.WriteLine($"baseline written: {baselinePath} ({fresh.Variants.Count} variants)");
        }
        else if (baseline is not null)
        {
            var gate = RegressionGate.Check(outcome.Summary, baseline, narrowed: options.Only.Count > 0);
            AtomicFile.WriteAllText(Path.Combine(outcome.Directory, "regression.json"),
                gate.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            stdout.WriteLine($"regression gate against {baselinePath}:");
            stdout.WriteLine(gate.ToTable());
            if (gate.Regressed) exit = 1;
        }
        return exit;
    }
}
