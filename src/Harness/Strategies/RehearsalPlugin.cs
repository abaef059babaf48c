using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Rehearsal mixing (Robins 1995, "Catastrophic forgetting, rehearsal and pseudorehearsal"; Ratcliff 1990): stage k
/// trains on its own data plus, from every earlier stage, <c>per_domain</c> samples or a share <c>fraction</c> of that
/// stage's original training samples (rounded, at least one). There is no bounded buffer: the samples come from the
/// curriculum itself. The choice is seeded and made once per stage: the same subset in every epoch of stage k, a fresh
/// one in stage k + 1. It happens in <see cref="PlanStages"/>, so the mixed samples are simply part of the stage's
/// data (they lengthen its epochs); replay, if also listed, does not offer them again, having seen them in their own stage.
/// </summary>
internal sealed class RehearsalPlugin(RehearsalStrategyConfig config, int seed) : IStrategyPlugin
{
    private readonly JsonObject _mixed = [];

    /// <inheritdoc />
    public IReadOnlyList<TrainingStage> PlanStages(IReadOnlyList<TrainingStage> stages)
    {
        _mixed.Clear();
        var planned = new List<TrainingStage>(stages.Count);
        for (int k = 0; k < stages.Count; k++)
        {
            var samples = stages[k].Samples.ToList();
            var counts = new JsonObject();
            for (int j = 0; j < k; j++)
            {
                var chosen = Choose(stages[j].Samples, StableRandom.For(seed, $"rehearsal:{stages[k].Name}:{stages[j].Name}"));
                samples.AddRange(chosen);
                counts[stages[j].Name] = chosen.Count;
            }
            _mixed[stages[k].Name] = counts;
            planned.Add(stages[k] with { Samples = samples });
        }
        return planned;
    }

    /// <summary>Samples of an earlier stage this plugin mixes in: a seeded partial shuffle, first ones taken.</summary>
    private List<TrainingSample> Choose(IReadOnlyList<TrainingSample> original, StableRandom random)
    {
        int count = config.PerDomain is { } perDomain
            ? Math.Min(perDomain, original.Count)
            : Math.Min(original.Count, Math.Max(1, (int)Math.Round(config.Fraction!.Value * original.Count, MidpointRounding.AwayFromZero)));
        var order = Enumerable.Range(0, original.Count).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + random.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order.Take(count).Select(i => original[i]).ToList();
    }

    /// <summary>Rehearsal samples each stage got, per earlier domain: <c>{"stages": {"poetry": {"math": 60}, ...}}</c>.</summary>
    public void Report(JsonObject report) => report["rehearsal"] = new JsonObject
    {
        ["fraction"] = config.Fraction,
        ["per_domain"] = config.PerDomain,
        ["stages"] = _mixed.DeepClone(),
    };
}
