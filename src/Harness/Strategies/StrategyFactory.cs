using Harness.Config;
using Harness.Tokenizers;

namespace Harness.Strategies;

/// <summary>Makes the plugins of a config's strategy list, in order.</summary>
internal static class StrategyFactory
{
    /// <summary>One plugin per entry of <c>strategies:</c>; <paramref name="tokenizer"/> serves routers that read questions.</summary>
    public static IReadOnlyList<IStrategyPlugin> Create(ExperimentConfig config, ITextTokenizer tokenizer) =>
        config.Strategies.Select<StrategyConfig, IStrategyPlugin>(s => s switch
        {
            NaiveStrategyConfig => new NaivePlugin(),
            JointStrategyConfig => new JointPlugin(),
            ReplayStrategyConfig replay => new ReplayPlugin(replay, config.Seed),
            AdaptersStrategyConfig adapters => new AdaptersPlugin(adapters, config, tokenizer),
            IsolationStrategyConfig isolation => new IsolationPlugin(isolation, config, tokenizer),
            RehearsalStrategyConfig rehearsal => new RehearsalPlugin(rehearsal, config.Seed),
            DistillationStrategyConfig distillation => new DistillationPlugin(distillation),
            EwcStrategyConfig ewc => new EwcPlugin(ewc, config.Seed),
            _ => throw new InvalidOperationException($"no plugin for strategy {s.Type}"),
        }).ToList();
}
