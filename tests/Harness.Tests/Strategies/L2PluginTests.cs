using Harness.Config;
using Harness.Strategies;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class L2PluginTests
{
    private static StageContext Stage(int index, QuadraticToyModel model) =>
        new(index, 3, new TrainingStage($"t{index}", [index], [], 1), model, CPU, 1, ["t0", "t1", "t2"]);

    [Fact]
    public void Penalty_AfterAStage_IsHalfLambdaTimesSquaredDistanceToThatStagesWeights()
    {
        // Given λ = 4 and a first stage that ends at θ* = (1, −2)
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new L2Plugin(new L2StrategyConfig { Lambda = 4 });
        Assert.Null(plugin.ExtraLoss(Stage(0, model), null!, null!)); // nothing to protect in stage 1
        plugin.OnStageEnd(Stage(0, model));

        // When the weights move to (1.5, 0)
        using (no_grad()) model.Theta.copy_(tensor(new[] { 1.5f, 0f }));
        using var penalty = plugin.ExtraLoss(Stage(1, model), null!, null!)!;

        // Then λ/2 · ((0.5)² + 2²) = 2 · 4.25 = 8.5
        Assert.Equal(8.5, penalty.item<float>(), 5);
    }

    [Fact]
    public void Anchor_FollowsTheLatestStage_AndTheLastStageKeepsNone()
    {
        // Given anchors set after stage 1 at (1, −2) and after stage 2 at (0, 0)
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new L2Plugin(new L2StrategyConfig { Lambda = 2 });
        plugin.OnStageEnd(Stage(0, model));
        using (no_grad()) model.Theta.copy_(tensor(new[] { 0f, 0f }));
        plugin.OnStageEnd(Stage(1, model));

        // When θ is (1, 1)
        using (no_grad()) model.Theta.copy_(tensor(new[] { 1f, 1f }));
        using var penalty = plugin.ExtraLoss(Stage(2, model), null!, null!)!;

        // Then only the latest anchor counts: λ/2 · (1 + 1) = 2; and after the last stage nothing is kept
        Assert.Equal(2, penalty.item<float>(), 5);
        plugin.OnStageEnd(Stage(2, model));
        Assert.Null(plugin.ExtraLoss(Stage(2, model), null!, null!));
    }
}
