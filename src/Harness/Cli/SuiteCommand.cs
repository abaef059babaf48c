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
/// [--shard K/N | --report-only] [--baseline FILE [--update-baseline]]</c>: runs a suite (skipping finished runs),
/// writes its report, and with --baseline gates it: exit 1 and a table of what regressed. --update-baseline writes the
/// suite's means as the new baseline instead, keeping the old file's tolerances. --shard K/N runs only shard K's pairs
/// and writes no report (N processes, on N machines if need be, share the suite); --report-only runs nothing and merges
/// the finished runs into the report, exiting 1 when any selected run is missing or unfinished.
/// </summary>
internal static class SuiteCommand
{
    /// <summary>Parses <paramref name="args"/> (everything after <c>suite</c>) and runs the suite.</summary>
    public static int Run(string[] args, TextWriter stdout, bool interactive, StopSignal? stop = null)
    {
        var line = CommandLine.Parse("suite", args, [.. SuiteArguments.ValueOptions, "--shard"], [.. SuiteArguments.Flags, "--report-only"]);
        var shard = line.Value("--shard") is { } text ? SuiteShard.Parse(text) : null;
        bool reportOnly = line.Flag("--report-only");
        if (shard is not null && reportOnly)
            throw new HarnessInputException("suite: --shard runs part of a suite and --report-only merges the parts; give one of them");
        if (shard is not null && line.Value("--baseline") is not null)
            throw new HarnessInputException("suite: --baseline judges the whole suite; give it to the --report-only merge, not to a --shard");
        var arguments = SuiteArguments.From(line);
        var suite = arguments.LoadSuite();
        var options = arguments.Options with { Shard = shard, ReportOnly = reportOnly };
        var (baselinePath, update, baseline) = (arguments.BaselinePath, arguments.UpdateBaseline, arguments.Baseline);
        stop?.Arm();
        var outcome = new SuiteRunner(stdout, interactive) { Stop = stop }.Run(suite, options);
        int exit = outcome.Failed.Count == 0 ? 0 : 1;
        var verdict = reportOnly ? "INCOMPLETE" : "FAILED";
        foreach (var failed in outcome.Failed) stdout.WriteLine($"{verdict}: {failed.Variant} seed {failed.Seed}: {failed.Reason} ({failed.Directory})");
        if (outcome.Summary is not { } summary) return exit; // a shard: the merge writes the report and gates it

        if (update && outcome.Failed.Count > 0)
            stdout.WriteLine($"baseline NOT written: {outcome.Failed.Count} run(s) {(reportOnly ? "incomplete" : "failed")}; a baseline must come from finished runs");
        else if (update)
        {
            var provenance = new JsonObject
            {
                ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["machine"] = $"{Environment.MachineName}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
                ["command"] = "./run.sh suite " + string.Join(' ', args),
            };
            var fresh = RegressionBaseline.From(summary, baseline?.Tolerances ?? RegressionTolerance.Defaults, baseline?.Variants, provenance);
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
            var gate = RegressionGate.Check(summary, baseline, narrowed: options.Only.Count > 0);
            AtomicFile.WriteAllText(Path.Combine(outcome.Directory, "regression.json"),
                gate.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            stdout.WriteLine($"regression gate against {baselinePath}:");
            stdout.WriteLine(gate.ToTable());
            if (gate.Regressed) exit = 1;
        }
        return exit;
    }
}
