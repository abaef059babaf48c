using System.Text.Json.Nodes;
using Harness.Metrics;

namespace Harness.Tests.Cli;

/// <summary>Two tiny adapter runs through the CLI (keyword-routed adapters; learned-routed isolation with replay), shared by the tests.</summary>
public sealed class AdaptersEndToEndFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AdaptersEndToEndFixture()
    {
        _dir.Write("words.jsonl", TinyConfig.WordsJsonl());
        var cache = _dir.File("cache");
        RunResult Run(string name, string strategies)
        {
            var config = _dir.Write($"{name}.yaml", $$"""
                name: {{name}}
                device: cpu
                model: {d_model: 32, layers: 1, heads: 2, context: 64}
                pretrain: {corpus: builtin, steps: 5, batch_size: 8}
                curriculum:
                  - {id: math, source: math, train_size: 24, test_size: 8, keywords: ["+", "-", "*"]}
                  - {id: words, source: "jsonl:words.jsonl", train_size: 24, test_size: 8, keywords: [a, e, i, o, u]}
                training: {batch_size: 8, epochs: 3, lr: 0.01, log_every: 5}
                evaluation: {batch_size: 64}
                strategies:
                {{strategies}}
                """);
            var outDirectory = _dir.File(name);
            return new RunResult(CliResult.Run(config, "--out", outDirectory, "--cache-dir", cache, "--device", "cpu"), outDirectory, 0);
        }
        Adapters = Run("adapters", "  - {type: adapters, rank: 4, alpha: 8, targets: [q, v, mlp_up], routing: keyword}");
        Isolation = Run("isolation", """
              - {type: isolation, shared_rank: 2, shared_targets: [mlp_up], rank: 4, domain_targets: [q, v], routing: learned}
              - {type: replay, buffer_size: 8, replay_ratio: 0.5}
            """);
    }

    public RunResult Adapters { get; }
    public RunResult Isolation { get; }

    public void Dispose() => _dir.Dispose();
}

[Collection(TorchCollection.Name)]
public sealed class AdaptersEndToEndTests(AdaptersEndToEndFixture runs) : IClassFixture<AdaptersEndToEndFixture>
{
    [Fact]
    public void AdaptersRun_WritesOnePeftFolderPerDomain_AndTheRoutersAccuracy()
    {
        Assert.True(runs.Adapters.Cli.ExitCode == 0, runs.Adapters.Cli.ToString());
        foreach (var domain in new[] { "math", "words" })
        {
            Assert.True(File.Exists(runs.Adapters.File($"adapters/{domain}/adapter_model.safetensors")), domain);
            Assert.True(File.Exists(runs.Adapters.File($"adapters/{domain}/adapter_config.json")), domain);
        }
        var metrics = JsonNode.Parse(File.ReadAllText(runs.Adapters.File("metrics.json")))!;
        // Keyword routing: every math prompt has an operator, so math questions always find the math adapter
        Assert.Equal(1.0, metrics["router_accuracy"]!["final"]!["math"]!.GetValue<double>());
        Assert.Equal("keyword", metrics["strategy_report"]!["adapters"]!["routing"]!.GetValue<string>());
    }

    [Fact]
    public void Answer_KeywordRun_RoutesTheQuestionAndPrintsTheAnswer()
    {
        // When a math question is asked of the finished run
        var result = CliResult.Run("answer", "--run", runs.Adapters.Directory, "12+7");
        // Then it names the math adapter and prints an answer line
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("domain: math (routing: keyword)", lines[0]);
        Assert.StartsWith("answer: ", lines[1]);
        // And a question with no keyword goes to the base model (no default domain)
        Assert.StartsWith("domain: base model", CliResult.Run("answer", "--run", runs.Adapters.Directory, "xyz").Stdout);
    }

    [Fact]
    public void Answer_SameQuestion_GivesTheSameAnswerAsEvaluationWould()
    {
        // The answer command reloads base + adapters from disk: asking twice must give one answer (deterministic load)
        var first = CliResult.Run("answer", "--run", runs.Adapters.Directory, "stone");
        var second = CliResult.Run("answer", "--run", runs.Adapters.Directory, "stone");
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void Answer_BadInput_ExitsTwoWithAReason()
    {
        Assert.Equal(2, CliResult.Run("answer", "12+7").ExitCode); // no --run
        var missing = CliResult.Run("answer", "--run", "/nonexistent/run", "12+7");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("config.resolved.yaml: not found", missing.Stderr);
        var domain = CliResult.Run("answer", "--run", runs.Adapters.Directory, "--domain", "poetry", "x");
        Assert.Equal(2, domain.ExitCode);
        Assert.Contains("not a domain of this run (math, words)", domain.Stderr);
    }

    [Fact]
    public void IsolationWithReplay_Runs_AndWritesTheSharedAdapterAndTheLearnedRouter()
    {
        Assert.True(runs.Isolation.Cli.ExitCode == 0, runs.Isolation.Cli.ToString());
        Assert.True(File.Exists(runs.Isolation.File("adapters/shared/adapter_model.safetensors")));
        Assert.True(File.Exists(runs.Isolation.File("adapters/words/adapter_model.safetensors")));
        var router = JsonNode.Parse(File.ReadAllText(runs.Isolation.File("adapters/router.json")))!;
        Assert.Equal(32, router["centroids"]!["math"]!.AsArray().Count); // one d_model-wide centroid per domain
        // The learned router answers from the run folder too
        var answer = CliResult.Run("answer", "--run", runs.Isolation.Directory, "3*4");
        Assert.True(answer.ExitCode == 0, answer.ToString());
        Assert.Contains("(routing: learned)", answer.Stdout);
        var metrics = JsonNode.Parse(File.ReadAllText(runs.Isolation.File("metrics.json")))!;
        Assert.NotNull(metrics["strategy_report"]!["replay"]);
        Assert.NotNull(metrics["router_accuracy"]!["matrix"]);
    }

    [Fact]
    public void Answer_OracleRun_NeedsTheDomain()
    {
        // An oracle-routed run cannot guess: without --domain the answer command says so
        var config = File.ReadAllText(runs.Adapters.File("config.resolved.yaml")).Replace("routing: \"keyword\"", "routing: \"oracle\"");
        var dir = runs.Adapters.Directory + "-oracle";
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(runs.Adapters.Directory)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), true);
        File.WriteAllText(Path.Combine(dir, "config.resolved.yaml"), config);
        CopyDirectory(runs.Adapters.File("adapters"), Path.Combine(dir, "adapters"));
        var result = CliResult.Run("answer", "--run", dir, "12+7");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--domain", result.Stderr);
        var routed = CliResult.Run("answer", "--run", dir, "--domain", "math", "12+7");
        Assert.True(routed.ExitCode == 0, routed.ToString());
        Assert.StartsWith("domain: math (routing: oracle)", routed.Stdout);
    }

    [Fact]
    public void Answer_RunFolderMovedAwayFromItsData_StillAnswers()
    {
        // Given a copy of the finished run whose resolved config points at a data file that no longer exists
        var dir = runs.Adapters.Directory + "-moved";
        CopyDirectory(runs.Adapters.Directory, dir);
        var resolved = Path.Combine(dir, "config.resolved.yaml");
        var text = File.ReadAllText(resolved);
        Assert.Contains("words.jsonl", text);
        File.WriteAllText(resolved, text.Replace("words.jsonl", "gone/words.jsonl"));
        // When it is asked a question, then it answers (training data is not needed to answer)
        var result = CliResult.Run("answer", "--run", dir, "12+7");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("domain: math", result.Stdout);
        // While validating that config as a training config still refuses the missing file
        Assert.Equal(2, CliResult.Run("validate", resolved).ExitCode);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), true);
        foreach (var sub in Directory.GetDirectories(from)) CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
    }
}
