using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Tokenizers;

namespace Harness.Tests.Cli;

/// <summary>
/// The whole harness through <see cref="Harness.Cli.HarnessCli.Run"/> on a tiny two-domain config (math, then reversed
/// words): one smoke run per strategy, determinism, the pretraining cache and every output file.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class EndToEndTests(EndToEndFixture runs) : IClassFixture<EndToEndFixture>
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static JsonObject Metrics(RunResult run) => JsonNode.Parse(File.ReadAllText(run.File("metrics.json")))!.AsObject();

    private static double[][] ReadCsvValues(string path, out string header, out string[] stages)
    {
        var lines = File.ReadAllLines(path);
        header = lines[0];
        stages = lines.Skip(1).Select(l => l.Split(',')[0]).ToArray();
        return lines.Skip(1).Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("joint")]
    [InlineData("naive")]
    public void Run_TinyConfig_ExitsZeroWithoutErrors(string strategy)
    {
        // Given the tiny config with one strategy
        var run = strategy switch { "replay" => runs.First, "joint" => runs.Joint, _ => runs.Naive };

        // Then it succeeded and printed the matrix summary
        Assert.True(run.Cli.ExitCode == 0, run.Cli.ToString());
        Assert.Equal("", run.Cli.Stderr);
        Assert.Contains("acc ", run.Cli.Stdout);
    }

    [Fact]
    public void Run_TinyConfig_WritesEveryOutputFile()
    {
        // Given the replay run's folder
        var run = runs.First;
        Assert.True(run.Cli.ExitCode == 0, run.Cli.ToString());

        // Then every output exists and is not empty
        foreach (var name in new[]
                 {
                     "config.resolved.yaml", "accuracy_matrix.csv", "token_accuracy_matrix.csv", "metrics.json",
                     "accuracy_matrix.png", "forgetting_curves.png", "train.log", "tokenizer.json", "model.pt",
                 })
        {
            Assert.True(File.Exists(run.File(name)), $"{name} missing");
            Assert.True(new FileInfo(run.File(name)).Length > 0, $"{name} is empty");
        }
        // And no temporary file was left behind
        Assert.DoesNotContain(Directory.GetFiles(run.Directory), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("accuracy_matrix.png")]
    [InlineData("forgetting_curves.png")]
    public void Run_TinyConfig_PlotsArePngFiles(string name)
    {
        var bytes = File.ReadAllBytes(runs.First.File(name));
        Assert.Equal(PngSignature, bytes[..8]);
    }

    [Theory]
    [InlineData("accuracy_matrix.csv")]
    [InlineData("token_accuracy_matrix.csv")]
    public void Run_TwoDomains_MatrixCsvHasInitialPlusOneRowPerStage(string name)
    {
        // When the CSV is read
        var values = ReadCsvValues(runs.First.File(name), out var header, out var stages);

        // Then header, row labels and accuracies
        Assert.Equal("stage,math,words", header);
        Assert.Equal(["initial", "math", "words"], stages);
        Assert.All(values, row => Assert.Equal(2, row.Length));
        Assert.All(values.SelectMany(r => r), v => Assert.InRange(v, 0.0, 1.0));
    }

    [Fact]
    public void Run_TinyConfig_MetricsJsonHasTheDocumentedKeys()
    {
        // When
        var metrics = Metrics(runs.First);

        // Then
        foreach (var key in new[]
                 {
                     "domains", "stages", "accuracy_matrix", "acc", "bwt", "fwt", "forgetting", "avg_forgetting",
                     "learning_accuracy", "token_accuracy_matrix", "wall_seconds", "tokens_per_second", "seed", "device",
                     "versions", "strategy_report", "pretrain_cached",
                 })
            Assert.True(metrics.ContainsKey(key), $"metrics.json has no '{key}'");
        Assert.Equal(["math", "words"], metrics["domains"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["initial", "math", "words"], metrics["stages"]!.AsArray().Select(n => n!.GetValue<string>()));
        var matrix = metrics["accuracy_matrix"]!.AsArray();
        Assert.Equal(3, matrix.Count);
        Assert.All(matrix, row => Assert.Equal(2, row!.AsArray().Count));
        Assert.Equal(3, metrics["token_accuracy_matrix"]!.AsArray().Count);
        Assert.InRange(metrics["acc"]!.GetValue<double>(), 0.0, 1.0);
        Assert.True(metrics["tokens_per_second"]!.GetValue<double>() > 0);
        Assert.True(metrics["wall_seconds"]!.GetValue<double>() > 0);
        Assert.Equal(0, metrics["seed"]!.GetValue<int>());
        Assert.Equal("cpu", metrics["device"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(metrics["versions"]!["torchsharp"]?.GetValue<string>()));
        Assert.True(metrics["strategy_report"]!["replay"]!["buffer_bytes"]!.GetValue<long>() > 0);
        Assert.Equal(8, metrics["strategy_report"]!["replay"]!["buffer_count"]!.GetValue<int>());
    }

    [Fact]
    public void Run_TinyConfig_ResolvedConfigRoundTripsWithDefaults()
    {
        // Given the written config.resolved.yaml
        var text = File.ReadAllText(runs.First.File("config.resolved.yaml"));

        // When it is parsed (from the original config's folder) and written again
        var again = ConfigWriter.ToYaml(ConfigLoader.Parse(text, runs.ConfigPath).Config);

        // Then it is already fully resolved
        Assert.Equal(text, again);
        Assert.Contains("adam_eps:", text);
        Assert.Contains("buffer_size: 8", text);
    }

    [Fact]
    public void Validate_ResolvedConfigInRunDirectory_ExitsZero()
    {
        // When the resolved config of a run with a jsonl domain is validated where it was written
        var result = CliResult.Run("validate", runs.First.File("config.resolved.yaml"));

        // Then it loads, data and all
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Run_TinyConfig_TokenizerJsonReloadsAndTrainLogIsGreppable()
    {
        // Given the saved tokenizer and log
        var tokenizer = TokenizerFactory.FromJson(File.ReadAllText(runs.First.File("tokenizer.json")));
        var log = File.ReadAllText(runs.First.File("train.log"));

        // Then the tokenizer encodes the domains' text and the log has step and eval lines per stage
        Assert.Equal("12+34", tokenizer.Decode(tokenizer.Encode("12+34")));
        Assert.Equal("enots", tokenizer.Decode(tokenizer.Encode("enots")));
        Assert.Contains("stage 1/2 math step", log);
        Assert.Contains("stage 2/2 words step", log);
        Assert.Contains("eval after stage 2/2 words", log);
        Assert.Contains("pretrain", log);
    }

    [Fact]
    public void Run_SameSeedTwice_GivesIdenticalMatricesAndLosses()
    {
        // Given two replay runs with seed 0 (the first pretrained, the second loaded the cached base)
        Assert.True(runs.Second.Cli.ExitCode == 0, runs.Second.Cli.ToString());
        var tokenCsv = File.ReadAllText(runs.First.File("token_accuracy_matrix.csv"));

        // Then both matrices are identical to the last digit, and so is every logged loss
        Assert.Equal(File.ReadAllText(runs.First.File("accuracy_matrix.csv")), File.ReadAllText(runs.Second.File("accuracy_matrix.csv")));
        Assert.Equal(tokenCsv, File.ReadAllText(runs.Second.File("token_accuracy_matrix.csv")));
        Assert.Equal(File.ReadAllText(runs.First.File("heldout_accuracy_matrix.csv")), File.ReadAllText(runs.Second.File("heldout_accuracy_matrix.csv")));
        Assert.Equal(Metrics(runs.First)["loss_curve"]!.ToJsonString(), Metrics(runs.Second)["loss_curve"]!.ToJsonString());

        // And the comparison is not vacuous: the token matrix is not all zeros, and there is a loss per stage
        Assert.Contains(ReadCsvValues(runs.First.File("token_accuracy_matrix.csv"), out _, out _).SelectMany(r => r), v => v > 0);
        Assert.True(Metrics(runs.First)["loss_curve"]!.AsArray().Count >= 2);
    }

    [Fact]
    public void Run_SeedOverride_IsRecordedAndChangesTheRun()
    {
        // Given the same config run with --seed 1
        var run = runs.OtherSeed;
        Assert.True(run.Cli.ExitCode == 0, run.Cli.ToString());

        // Then the override is what ran and what was recorded
        Assert.Equal(1, Metrics(run)["seed"]!.GetValue<int>());
        Assert.Contains("seed: 1", File.ReadAllText(run.File("config.resolved.yaml")).Split('\n'));
        Assert.False(Metrics(run)["pretrain_cached"]!.GetValue<bool>());
        Assert.NotEqual(Metrics(runs.First)["loss_curve"]!.ToJsonString(), Metrics(run)["loss_curve"]!.ToJsonString());
    }

    [Fact]
    public void Run_MathWithHeldout_WritesHeldoutMatrix()
    {
        // Given math with heldout_size 8 and words without
        var values = ReadCsvValues(runs.First.File("heldout_accuracy_matrix.csv"), out var header, out var stages);

        // Then a matrix with only the math column
        Assert.Equal("stage,math", header);
        Assert.Equal(["initial", "math", "words"], stages);
        Assert.All(values, row => Assert.InRange(Assert.Single(row), 0.0, 1.0));
        Assert.Equal(["math"], Metrics(runs.First)["heldout"]!["domains"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Run_ReplayWithBatchSizeOne_IsRefusedAsBadInput()
    {
        // Given replay with one sample per batch
        var config = runs.WriteConfig("batch1.yaml", TinyConfig.Yaml(name: "batch1", pretrain: "none",
            training: "{batch_size: 1, epochs: 1, lr: 0.003, log_every: 100}"));

        // When
        var run = runs.Run(config, "batch1");

        // Then the config is refused before anything trains: replay needs a slot for new data and one for replayed
        Assert.True(run.Cli.ExitCode == 2, run.Cli.ToString());
        Assert.Contains("training.batch_size", run.Cli.Stderr);
        Assert.False(Directory.Exists(run.Directory), "a refused config must not leave a run folder");
    }

    [Fact]
    public void Run_SecondRunSameBase_ReusesCachedPretraining()
    {
        // Then the first run pretrained and wrote the cache, every later run loaded it
        Assert.False(Metrics(runs.First)["pretrain_cached"]!.GetValue<bool>());
        Assert.True(Metrics(runs.Second)["pretrain_cached"]!.GetValue<bool>());
        Assert.True(Metrics(runs.Joint)["pretrain_cached"]!.GetValue<bool>());
        Assert.True(Metrics(runs.Naive)["pretrain_cached"]!.GetValue<bool>());
        Assert.Equal(2, Directory.GetFiles(runs.CacheDirectory, "base-*.pt").Length); // seed 0 and seed 1
    }

    [Fact]
    public void Run_Joint_GivesInitialAndJointRows()
    {
        // When
        var values = ReadCsvValues(runs.Joint.File("accuracy_matrix.csv"), out var header, out var stages);

        // Then one training stage over both domains
        Assert.Equal("stage,math,words", header);
        Assert.Equal(["initial", "joint"], stages);
        var metrics = Metrics(runs.Joint);
        Assert.Null(metrics["bwt"]);
        Assert.Equal(values[1].Average(), metrics["acc"]!.GetValue<double>(), precision: 12);
    }

    [Fact]
    public void Metrics_RunAccuracyMatrix_PrintsSameAccAsMetricsJson()
    {
        // When the metrics verb reads the run's CSV
        var result = CliResult.Run("metrics", runs.First.File("accuracy_matrix.csv"));

        // Then it prints JSON whose acc (and bwt) are the run's
        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = JsonNode.Parse(result.Stdout)!;
        var metrics = Metrics(runs.First);
        Assert.Equal(metrics["acc"]!.GetValue<double>(), printed["acc"]!.GetValue<double>());
        Assert.Equal(metrics["bwt"]!.GetValue<double>(), printed["bwt"]!.GetValue<double>());
    }

    [Fact]
    public void Metrics_MissingCsv_ExitsTwo()
    {
        var result = CliResult.Run("metrics", runs.First.File("nope.csv"));
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
    }

    [Fact]
    public void Validate_TinyConfig_ExitsZeroAndSummarises()
    {
        // When
        var result = CliResult.Run("validate", runs.ConfigPath);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok: math (24 train/8 test/8 held-out) -> words (24 train/8 test/0 held-out)", result.Stdout);
        Assert.Contains("strategies replay", result.Stdout);
    }

    [Fact]
    public void Run_OutFolderNotEmpty_ExitsTwo()
    {
        // Given --out pointing at a run folder that already has files
        var result = CliResult.Run(runs.ConfigPath, "--out", runs.First.Directory, "--cache-dir", runs.CacheDirectory);

        // Then the old run is not overwritten
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not empty", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Run_EmptyOut_ExitsTwoWithOneLine()
    {
        // When --out is given an empty string
        var result = CliResult.Run(runs.ConfigPath, "--out", "", "--cache-dir", runs.CacheDirectory);

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --out needs a value", Assert.Single(result.StderrLines));
    }

    [Fact]
    public void Run_CacheDirIsAFile_ExitsTwoBeforeAnyRunFolder()
    {
        // Given a cache path that is a file
        var cacheFile = runs.WriteConfig("not-a-folder", "x");
        var outDirectory = Path.Combine(Path.GetDirectoryName(cacheFile)!, "never-created");

        // When
        var result = CliResult.Run(runs.ConfigPath, "--out", outDirectory, "--cache-dir", cacheFile);

        // Then it fails as bad input before training or creating the run folder
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a file", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(outDirectory));
    }

    [Fact]
    public void Run_UnknownVerb_ExitsTwoNamingIt()
    {
        // When a mistyped command is given
        var result = CliResult.Run("valdiate", "configs/replay.yaml");

        // Then the message says what it is not, on one line
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'valdiate' is neither a command", Assert.Single(result.StderrLines));
    }
}
