using System.Globalization;
using Harness.Config;
using Harness.Metrics;
using Harness.Training;

namespace Harness.Cli;

/// <summary>
/// The command line: <c>CONFIG [--out DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]</c>,
/// <c>validate CONFIG</c>, <c>metrics CSV</c>, <c>answer --run RUN_DIR QUESTION</c>. Exit codes: 0 success, 2 bad input (one line, no stack trace), 1 anything else.
/// </summary>
internal static class HarnessCli
{
    /// <summary>Usage text shown by --help.</summary>
    public const string Usage = """
        usage: ./run.sh CONFIG [--out DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]
               ./run.sh validate CONFIG
               ./run.sh metrics ACCURACY_MATRIX.csv
               ./run.sh answer --run RUN_DIR [--domain ID] [--device D] "QUESTION"
               ./run.sh test
        exit codes: 0 success, 2 bad input (config, data, command line), 1 anything else
        """;

    private const string SeeHelp = "see ./run.sh --help";

    /// <summary>Runs the command in <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        try
        {
            return args switch
            {
                [] or ["-h" or "--help" or "help"] => Help(stdout),
                ["validate", var path] => Validate(path, stdout),
                ["metrics", var csv] => Metrics(csv, stdout),
                ["validate" or "metrics", ..] => throw new HarnessInputException($"{args[0]} takes exactly one file ({SeeHelp})"),
                ["answer", .. var rest] => AnswerCommand.Run(rest, stdout),
                ["run", .. var rest] => Train(rest, stdout, interactive),
                _ => Train(args, stdout, interactive),
            };
        }
        catch (Exception e) when (e is HarnessInputException or MetricsInputException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(e);
            return 1;
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }

    private static int Validate(string path, TextWriter stdout)
    {
        var loaded = ConfigLoader.Load(path);
        var prepared = PreparedRun.Prepare(loaded);
        stdout.WriteLine($"{path}: ok: {string.Join(" -> ", prepared.Domains.Select(d => $"{d.Id} ({d.Train.Count} train/{d.Test.Count} test/{d.Heldout.Count} held-out)"))}; " +
                         $"strategies {string.Join(", ", loaded.Config.Strategies.Select(s => s.Type))}; vocabulary {prepared.Tokenizer.VocabSize}");
        return 0;
    }

    private static int Metrics(string csv, TextWriter stdout)
    {
        if (!File.Exists(csv)) throw new HarnessInputException($"{csv}: file not found");
        var matrix = AccuracyMatrix.ReadCsv(csv);
        ContinualSummary summary;
        try
        {
            summary = ContinualMetrics.Compute(matrix);
        }
        catch (ArgumentException e)
        {
            throw new HarnessInputException($"{csv}: {e.Message}");
        }
        stdout.WriteLine(ContinualMetrics.ToJson(summary));
        return 0;
    }

    private static int Train(string[] args, TextWriter stdout, bool interactive)
    {
        string? config = null, outDirectory = null, device = null, cacheDirectory = null;
        int? seed = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && args[i + 1].Length > 0
                ? args[++i]
                : throw new HarnessInputException($"{args[i]} needs a value ({SeeHelp})");
            switch (args[i])
            {
                case "--out": outDirectory = Value(); break;
                case "--cache-dir": cacheDirectory = Value(); break;
                case "--device":
                    device = Value();
                    if (device is not ("auto" or "cpu" or "cuda")) throw new HarnessInputException($"--device {device}: expected auto, cpu or cuda");
                    break;
                case "--seed":
                    var text = Value();
                    seed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? s : throw new HarnessInputException($"--seed {text}: expected a non-negative integer");
                    break;
                case var option when option.StartsWith('-'):
                    throw new HarnessInputException($"unknown option {option} ({SeeHelp})");
                default:
                    if (config is not null) throw new HarnessInputException($"more than one config given ({config}, {args[i]}; {SeeHelp})");
                    config = args[i];
                    if (!File.Exists(config) && !Directory.Exists(config) && !config.Contains('.') && !config.Contains('/'))
                        throw new HarnessInputException($"'{config}' is neither a command (validate, metrics, answer, test) nor a config file ({SeeHelp})");
                    break;
            }
        }
        if (config is null) throw new HarnessInputException($"no config given ({SeeHelp})");
        var loaded = ConfigLoader.Load(config).WithOverrides(seed, device);
        new ExperimentRunner(stdout, interactive) { CacheDirectory = cacheDirectory }.Run(loaded, outDirectory);
        return 0;
    }
}
