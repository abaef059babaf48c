using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Strategies;
using Harness.Training;

namespace Harness.Tests.Strategies;

public sealed class RehearsalPluginTests
{
    /// <summary>Three stages of 20, 10 and 30 samples of domains 0, 1, 2 (sample i of domain d: tokens [d, i]).</summary>
    private static readonly IReadOnlyList<TrainingStage> Stages =
    [
        Stage("math", 0, 20), Stage("poetry", 1, 10), Stage("history", 2, 30),
    ];

    private static TrainingStage Stage(string name, int domain, int count) =>
        new(name, [domain], Enumerable.Range(0, count).Select(i => new TrainingSample([domain, i], 1, domain)).ToList(), 5);

    private static int[] CountsPerDomain(TrainingStage stage) =>
        Enumerable.Range(0, 3).Select(d => stage.Samples.Count(s => s.Domain == d)).ToArray();

    [Fact]
    public void PlanStages_Fraction_MixesThatShareOfEveryEarlierDomain()
    {
        // Given fraction 0.2
        var plugin = new RehearsalPlugin(new RehearsalStrategyConfig { Fraction = 0.2 }, seed: 0);

        // When
        var planned = plugin.PlanStages(Stages);

        // Then stage 1 is unchanged, stage 2 gets 4 of math's 20, stage 3 gets 4 of math and 2 of poetry's 10
        Assert.Equal([20, 0, 0], CountsPerDomain(planned[0]));
        Assert.Equal([4, 10, 0], CountsPerDomain(planned[1]));
        Assert.Equal([4, 2, 30], CountsPerDomain(planned[2]));
        // And names, domains and epochs are kept; the stage's own samples come first
        Assert.Equal(Stages.Select(s => (s.Name, s.Epochs, s.Domains[0])), planned.Select(s => (s.Name, s.Epochs, s.Domains[0])));
        Assert.Equal(Stages[2].Samples, planned[2].Samples.Take(30));

        // And the report says the same
        var report = new JsonObject();
        plugin.Report(report);
        var stages = report["rehearsal"]!["stages"]!;
        Assert.Empty(stages["math"]!.AsObject());
        Assert.Equal(4, stages["poetry"]!["math"]!.GetValue<int>());
        Assert.Equal(4, stages["history"]!["math"]!.GetValue<int>());
        Assert.Equal(2, stages["history"]!["poetry"]!.GetValue<int>());
    }

    [Fact]
    public void PlanStages_PerDomain_MixesThatManyOrAllOfASmallerDomain()
    {
        // Given per_domain 15: more than poetry's 10
        var plugin = new RehearsalPlugin(new RehearsalStrategyConfig { PerDomain = 15 }, seed: 0);

        // When
        var planned = plugin.PlanStages(Stages);

        // Then
        Assert.Equal([15, 10, 0], CountsPerDomain(planned[1]));
        Assert.Equal([15, 10, 30], CountsPerDomain(planned[2]));
    }

    [Fact]
    public void PlanStages_SameSeed_ChoosesTheSameOriginalSamplesAFreshSubsetPerStage()
    {
        // Given two plugins with the same seed
        var config = new RehearsalStrategyConfig { PerDomain = 5 };
        var a = new RehearsalPlugin(config, seed: 3).PlanStages(Stages);
        var b = new RehearsalPlugin(config, seed: 3).PlanStages(Stages);

        // Then the choice is reproducible, made of distinct original sample objects
        var mathInStage2 = a[1].Samples.Where(s => s.Domain == 0).ToList();
        Assert.Equal(mathInStage2, b[1].Samples.Where(s => s.Domain == 0));
        Assert.Equal(5, mathInStage2.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(mathInStage2, s => Assert.Contains(s, Stages[0].Samples));

        // And stage 3 draws its own subset of math (5 of 20: the same set by chance has p = 1 / 15504)
        var mathInStage3 = a[2].Samples.Where(s => s.Domain == 0).Select(s => s.Tokens[1]).Order();
        Assert.NotEqual(mathInStage2.Select(s => s.Tokens[1]).Order(), mathInStage3);
    }
}
