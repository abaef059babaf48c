using Harness.Config;
using Harness.Tokenizers;

namespace Harness.Strategies;

/// <summary>Makes the plugins of a config's strategy list, in order.</summary>
internal static class StrategyFactory
{
    /// <summary>
    /// One plugin per entry of <c>strategies:</c>; <paramref name="tokenizer"/> serves routers that read questions (null
    /// for image benchmarks, which the config checks keep adapters away from).
    /// </summary>
    public static IReadOnlyList<IStrategyPlugin> Create(ExperimentConfig config, ITextTokenizer? tokenizer) =>
        config.Strategies.Select<StrategyConfig, IStrategyPlugin>(s => s switch
        {
            NaiveStrategyConfig => new NaivePlugin(),
            JointStrategyConfig => new JointPlugin(),
            ReplayStrategyConfig replay => new ReplayPlugin(replay, config.Seed),
            AdaptersStrategyConfig adapters => new AdaptersPlugin(adapters, config, tokenizer ?? NoTokenizer()),
            IsolationStrategyConfig isolation => new IsolationPlugin(isolation, config, tokenizer ?? NoTokenizer()),
            RehearsalStrategyConfig rehearsal => new RehearsalPlugin(rehearsal, config.Seed),
            DistillationStrategyConfig distillation => new DistillationPlugin(distillation),
            EwcStrategyConfig ewc => new EwcPlugin(ewc, config.Seed),
            SiStrategyConfig si => new SiPlugin(si),
            L2StrategyConfig l2 => new L2Plugin(l2),
            _ => throw new InvalidOperationException($"no plugin for strategy {s.Type}"),
        }).ToList();

    private static ITextTokenizer NoTokenizer() => throw new InvalidOperationException("adapters route text questions: they need the text model's tokenizer");
}
