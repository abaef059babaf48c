using System.Globalization;
using Harness.Benchmarks;
using Harness.Config;
using Harness.Metrics;
using Harness.Training;
using TorchSharp;

namespace Harness.Cli;

/// <summary>
/// The command line: <c>CONFIG [--out DIR | --resume RUN_DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]</c>,
/// <c>validate CONFIG</c>, <c>metrics CSV</c>, <c>answer --run RUN_DIR QUESTION</c>, <c>suite FILE</c>, <c>slurm FILE</c>, <c>compare DIR...</c>, <c>data DATASET</c>, <c>bench</c>. Exit codes: 0 success, 2 bad input (one line, no stack trace), 130/143 stopped by SIGINT/SIGTERM, 1 anything else.
/// </summary>
internal static class HarnessCli
{
    /// <summary>Usage text shown by --help.</summary>
    public const string Usage = """
        usage: ./run.sh CONFIG [--out DIR | --resume RUN_DIR] [--seed N] [--device auto|cpu|cuda] [--cache-dir DIR]
               ./run.sh validate CONFIG
               ./run.sh metrics ACCURACY_MATRIX.csv
               ./run.sh answer --run RUN_DIR [--domain ID] [--device D] "QUESTION"
               ./run.sh suite SUITE.yaml [--only VARIANT]... [--seeds N | --seed S...] [--out DIR] [--device D]
                              [--cache-dir DIR] [--shard K/N | --report-only] [--baseline FILE [--update-baseline]]
               ./run.sh slurm SUITE.yaml [suite options] [--partition P] [--account A] [--time T]
                              [--gpus-per-task G] [--cpus-per-task C] [--mem M] [--max-parallel M]
                              [--sbatch OPTION]... [--dry-run]
               ./run.sh compare DIR... [--out DIR]
               ./run.sh data mnist|fashion-mnist [--dir DIR] [--from TARBALL]
               ./run.sh bench [--quick] [--vs-pytorch] [--repeats N] [--out DIR] [--python PATH] [--mnist DIR]
               ./run.sh test
        exit codes: 0 success, 2 bad input (config, data, command line), 130/143 stopped by SIGINT/SIGTERM
                    (the run's metrics.json says interrupted; --resume continues it), 1 anything else
                    (suite: 1 also when a run failed or the baseline gate found a regression, and with
                    --report-only when a selected run is missing or unfinished)
        """;

    private const string SeeHelp = "see ./run.sh --help";

    /// <summary>
    /// Runs the command in <paramref name="args"/>; returns the process exit code. <paramref name="stop"/> (SIGINT,
    /// SIGTERM) stops a run or suite after its current step.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, StopSignal? stop = null)
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
                ["suite", .. var rest] => SuiteCommand.Run(rest, stdout, interactive, stop),
                ["slurm", .. var rest] => SlurmCommand.Run(rest, stdout),
                ["compare", .. var rest] => CompareCommand.Run(rest, stdout),
                ["data", .. var rest] => DataCommand.Run(rest, stdout),
                ["bench", .. var rest] => BenchCommand.Run(rest, stdout),
                ["run", .. var rest] => Train(rest, stdout, interactive, stop),
                _ => Train(args, stdout, interactive, stop),
            };
        }
        catch (RunInterruptedException e)
        {
            stderr.WriteLine($"interrupted: {e.Message}");
            return e.ExitCode;
        }
        catch (NonFiniteLossException e)
        {
            // A numerical failure of the run, not a bug: the message says where; no stack trace.
            stderr.WriteLine($"error: {e.Message}");
            return 1;
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
        var strategies = string.Join(", ", loaded.Config.Strategies.Select(s => s.Type));
        if (loaded.Config.Benchmark is not null)
        {
            // The images are read (on the CPU) so that a broken data file fails here, not in the first run.
            using var images = new ImageDataCache();
            using var benchmark = ImageBenchmark.Prepare(loaded, images, torch.CPU);
            stdout.WriteLine($"{path}: ok: {benchmark.Description}; strategies {strategies}");
            return 0;
        }
        var prepared = PreparedRun.Prepare(loaded);
        stdout.WriteLine($"{path}: ok: {string.Join(" -> ", prepared.Domains.Select(d => $"{d.Id} ({d.Train.Count} train/{d.Test.Count} test/{d.Heldout.Count} held-out)"))}; " +
                         $"strategies {strategies}; vocabulary {prepared.Tokenizer.VocabSize}");
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

    private static int Train(string[] args, TextWriter stdout, bool interactive, StopSignal? stop)
    {
        var line = CommandLine.Parse("", args, ["--out", "--resume", "--seed", "--device", "--cache-dir"]);
        var config = line.Positionals.FirstOrDefault();
        // A mistyped command ("valdiate x.yaml") would otherwise read as two configs.
        if (config is not null && !File.Exists(config) && !Directory.Exists(config) && !config.Contains('.') && !config.Contains('/'))
            throw new HarnessInputException($"'{config}' is neither a command (validate, metrics, answer, suite, slurm, compare, data, bench, test) nor a config file ({SeeHelp})");
        if (line.Positionals.Count > 1)
            throw new HarnessInputException($"more than one config given ({string.Join(", ", line.Positionals)}; {SeeHelp})");
        if (config is null) throw new HarnessInputException($"no config given ({SeeHelp})");
        if (line.Value("--resume") is not null && line.Value("--out") is not null)
            throw new HarnessInputException($"--resume continues a run in its own folder; it takes no --out ({SeeHelp})");
        var loaded = ConfigLoader.Load(config).WithOverrides(line.Integer("--seed"), line.Device());
        // Checked before the data is read, so a folder that cannot be created fails before anything is written.
        var (outDirectory, cacheDirectory) = (line.Folder("--out"), line.Folder("--cache-dir"));
        stop?.Arm();
        var runner = new ExperimentRunner(stdout, interactive) { CacheDirectory = cacheDirectory, Stop = stop };
        if (line.Value("--resume") is { } runDirectory) runner.Resume(loaded, runDirectory);
        else runner.Run(loaded, outDirectory);
        return 0;
    }
}
