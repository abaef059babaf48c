using Harness.Config;
using Harness.Metrics.Reports;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;

namespace Harness.Cli;

/// <summary>
/// <c>answer --run RUN_DIR [--domain ID] [--device D] "question"</c>: loads a finished run's model (and adapters),
/// routes the question as the run was configured, prints the chosen route and the greedy answer.
/// </summary>
internal static class AnswerCommand
{
    /// <summary>The longest answer generated.</summary>
    private const int MaxAnswerTokens = 32;

    /// <summary>Parses <paramref name="args"/> (everything after <c>answer</c>) and answers.</summary>
    public static int Run(string[] args, TextWriter stdout)
    {
        var line = CommandLine.Parse("answer", args, ["--run", "--domain", "--device"]);
        if (line.Positionals.Count > 1) throw new HarnessInputException("answer takes one question (quote it)");
        string? runDirectory = line.Value("--run"), domainId = line.Value("--domain"), device = line.Device();
        var question = line.Positionals.FirstOrDefault();
        if (runDirectory is null) throw new HarnessInputException("answer needs --run RUN_DIR (a finished run's folder)");
        if (string.IsNullOrWhiteSpace(question)) throw new HarnessInputException("answer needs a question");

        foreach (var file in new[] { "config.resolved.yaml", "tokenizer.json", "model.pt", "metrics.json" })
            if (!File.Exists(Path.Combine(runDirectory, file)))
                throw new HarnessInputException($"{Path.Combine(runDirectory, file)}: not found (is {runDirectory} a finished run?)");
        if (!RunRecord.IsCompleted(runDirectory))
            throw new HarnessInputException($"{Path.Combine(runDirectory, "metrics.json")}: status is not completed (an unfinished run has no final model to answer with)");
        var config = ConfigLoader.Load(Path.Combine(runDirectory, "config.resolved.yaml"), requireData: false).Config;
        var tokenizer = TokenizerFactory.FromJson(File.ReadAllText(Path.Combine(runDirectory, "tokenizer.json")));
        var ids = config.Curriculum.Select(d => d.Id).ToList();
        int knownDomain = domainId is null ? -1 : ids.IndexOf(domainId);
        if (domainId is not null && knownDomain < 0)
            throw new HarnessInputException($"--domain {domainId}: not a domain of this run ({string.Join(", ", ids)})");
        int promptTokens = tokenizer.Encode(question).Length + 2;
        if (promptTokens >= config.Model.Context)
            throw new HarnessInputException($"the question is {promptTokens} tokens with markers; the model's context is {config.Model.Context}");

        var torchDevice = DeviceSelector.Resolve(device ?? config.Device);
        using var model = new GptModel(config.Model, tokenizer.VocabSize);
        model.load(Path.Combine(runDirectory, "model.pt"));
        model.to(torchDevice);
        model.SetPrecision(config.Training.Precision); // answer as the run's evaluation did
        var plugins = StrategyFactory.Create(config, tokenizer);
        try
        {
            foreach (var plugin in plugins) plugin.LoadOutputs(runDirectory, model, torchDevice);
            var routes = plugins.Route([question], knownDomain);
            int route = routes?[0] ?? -1;
            plugins.Activate(route);
            string routing = config.Strategies.OfType<AdaptersStrategyConfig>().Select(a => a.Routing)
                .Concat(config.Strategies.OfType<IsolationStrategyConfig>().Select(i => i.Routing)).FirstOrDefault() ?? "none";
            bool shared = config.Strategies.Any(s => s is IsolationStrategyConfig);
            string chosen = routes is null ? "- (one model answers every domain)"
                : route >= 0 ? ids[route]
                : shared ? "none (shared adapter only)" : "base model (no adapter)";
            var evaluator = new Evaluator(tokenizer, torchDevice, 1, tokenAccuracy: false);
            var answer = evaluator.Answer(model, question, Math.Min(MaxAnswerTokens, config.Model.Context - promptTokens));
            stdout.WriteLine($"domain: {chosen} (routing: {routing})");
            stdout.WriteLine($"answer: {answer}");
            return 0;
        }
        finally
        {
            plugins.DisposeAll();
        }
    }
}
