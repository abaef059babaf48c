using Harness.Config;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;

namespace Harness.Tests.Strategies;

public sealed class StrategyFactoryTests
{
    [Fact]
    public void Create_ConfigStrategies_MakesOnePluginPerEntryInOrder()
    {
        // Given a config listing replay
        var config = new ExperimentConfig
        {
            Name = "x",
            Curriculum = [new DomainConfig { Id = "math", Source = "math" }],
            Strategies = [new ReplayStrategyConfig()],
        };

        var tokenizer = CharTokenizer.Build(["1+1", "2"]);

        // Then
        Assert.IsType<ReplayPlugin>(Assert.Single(StrategyFactory.Create(config, tokenizer)));
        Assert.IsType<NaivePlugin>(Assert.Single(StrategyFactory.Create(config with { Strategies = [new NaiveStrategyConfig()] }, tokenizer)));
        var both = StrategyFactory.Create(config with { Strategies = [new AdaptersStrategyConfig(), new ReplayStrategyConfig()] }, tokenizer);
        Assert.IsType<AdaptersPlugin>(both[0]);
        Assert.IsType<ReplayPlugin>(both[1]);
    }

    [Fact]
    public void PlanStages_Joint_MergesAllStagesIntoOne()
    {
        // Given two stages of 2 and 3 samples with 4 and 6 epochs
        TrainingSample S(int domain) => new([1, 2, 3], 1, domain);
        IReadOnlyList<TrainingStage> stages =
        [
            new("math", [0], [S(0), S(0)], 4),
            new("words", [1], [S(1), S(1), S(1)], 6),
        ];

        // When
        var planned = new JointPlugin().PlanStages(stages);

        // Then one "joint" stage with every domain, every sample and the most epochs
        var joint = Assert.Single(planned);
        Assert.Equal("joint", joint.Name);
        Assert.Equal([0, 1], joint.Domains);
        Assert.Equal(5, joint.Samples.Count);
        Assert.Equal(6, joint.Epochs);
    }

    [Fact]
    public void PlanStages_Naive_KeepsStages()
    {
        IReadOnlyList<TrainingStage> stages = [new("math", [0], [], 1), new("words", [1], [], 1)];
        Assert.Same(stages, ((IStrategyPlugin)new NaivePlugin()).PlanStages(stages));
    }
}
