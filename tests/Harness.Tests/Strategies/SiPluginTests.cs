using Harness.Config;
using Harness.Strategies;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

[Collection(TorchCollection.Name)]
public sealed class SiPluginTests
{
    private const double A = 2.0, Lr = 0.1, Xi = 0.1;

    private static StageContext Stage(int index, QuadraticToyModel model) =>
        new(index, 3, new TrainingStage($"t{index}", [index], [], 1), model, CPU, 1, ["t0", "t1", "t2"]);

    /// <summary>Plain gradient descent on ½ a (θ − target)² plus the plugin's penalty, as the trainer steps.</summary>
    private static void Descend(SiPlugin plugin, StageContext stage, QuadraticToyModel model, float[] target, int steps)
    {
        for (int k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var loss = model.Loss(A, target);
            if (plugin.ExtraLoss(stage, null!, null!) is { } penalty) loss = loss + penalty;
            loss.backward();
            using (no_grad()) model.Theta.sub_(model.Theta.grad! * Lr);
            plugin.OnStepEnd(stage, []);
        }
    }

    /// <summary>Stage 1: 3 steps from θ toward 0, ended; returns Ω and θ* as the later stage sees them.</summary>
    private static (double[] Importance, double[] Optimum) FinishFirstStage(SiPlugin plugin, QuadraticToyModel model)
    {
        var first = Stage(0, model);
        plugin.OnStageStart(first);
        Descend(plugin, first, model, [0f, 0f], 3);
        plugin.OnStageEnd(first);
        return (plugin.Importance["theta"].data<float>().ToArray().Select(v => (double)v).ToArray(), model.Values);
    }

    [Fact]
    public void PathIntegral_OnAToyQuadratic_IsTheSumOfLrTimesSquaredGradients()
    {
        // Given θ = (1, −2) descending ½·2·(θ − 0)² with lr 0.1 for 3 steps: g_k = 2 θ_k, θ_{k+1} = 0.8 θ_k,
        // so −g·Δθ = lr·g² each step
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new SiPlugin(new SiStrategyConfig { C = 1, Xi = Xi });
        var stage = Stage(0, model);
        plugin.OnStageStart(stage);

        // When
        Descend(plugin, stage, model, [0f, 0f], 3);

        // Then ω_i = Σ_k 0.1 · (2 · θ_i · 0.8^k)²
        foreach (var (i, start) in new[] { (0, 1.0), (1, -2.0) })
        {
            double expected = Enumerable.Range(0, 3).Sum(k => Lr * Math.Pow(2 * start * Math.Pow(0.8, k), 2));
            Assert.Equal(expected, plugin.PathIntegral["theta"].data<float>()[i], 5);
        }
    }

    [Fact]
    public void StageEnd_DampsThePathIntegralByTheSquaredDistanceMovedPlusXi()
    {
        // Given one stage of 3 steps from θ = (1, −2) toward 0
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new SiPlugin(new SiStrategyConfig { C = 1, Xi = Xi });
        var stage = Stage(0, model);
        plugin.OnStageStart(stage);
        Descend(plugin, stage, model, [0f, 0f], 3);
        var omega = plugin.PathIntegral["theta"].data<float>().ToArray();

        // When the stage ends
        plugin.OnStageEnd(stage);

        // Then Ω = ω / ((θ_end − θ_start)² + ξ), θ_end = 0.512 θ_start
        var importance = plugin.Importance["theta"].data<float>();
        foreach (var (i, start) in new[] { (0, 1.0), (1, -2.0) })
        {
            double moved = 0.512 * start - start;
            Assert.Equal(omega[i] / (moved * moved + Xi), importance[i], 4);
        }
    }

    [Fact]
    public void LaterStage_PenaltyIsCTimesImportanceTimesSquaredDistance_AndOmegaExcludesIt()
    {
        // Given a finished first stage (Ω, θ* known) and c = 0.5
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new SiPlugin(new SiStrategyConfig { C = 0.5, Xi = Xi });
        var (omegaStar, optimum) = FinishFirstStage(plugin, model);

        // When the second stage pulls θ toward (3, 3) for one step
        var second = Stage(1, model);
        plugin.OnStageStart(second);
        using var zeroPenalty = plugin.ExtraLoss(second, null!, null!)!;
        var before = model.Values;
        Descend(plugin, second, model, [3f, 3f], 1);
        var after = model.Values;

        // Then the penalty at θ* is 0, and after the step it is c Σ Ω (θ − θ*)²
        Assert.Equal(0, zeroPenalty.item<float>(), 6);
        using var penalty = plugin.ExtraLoss(second, null!, null!)!;
        double expectedPenalty = Enumerable.Range(0, 2).Sum(i => 0.5 * omegaStar[i] * Math.Pow(after[i] - optimum[i], 2));
        Assert.Equal(expectedPenalty, penalty.item<float>(), 4);
        // and ω used only the task gradient a (θ − 3) (the penalty's gradient was 0 at the start of the step)
        var omega = plugin.PathIntegral["theta"].data<float>();
        for (int i = 0; i < 2; i++)
            Assert.Equal(-(A * (before[i] - 3)) * (after[i] - before[i]), omega[i], 4);
    }

    [Fact]
    public void SecondStepOfALaterStage_SubtractsThePenaltyGradientFromOmega()
    {
        // Given a second stage whose steps start away from θ*, so the penalty has a gradient
        using var model = new QuadraticToyModel([1f, -2f]);
        using var plugin = new SiPlugin(new SiStrategyConfig { C = 0.5, Xi = Xi });
        var (omegaStar, optimum) = FinishFirstStage(plugin, model);
        var second = Stage(1, model);
        plugin.OnStageStart(second);

        // When two steps are taken
        var path = new List<double[]> { model.Values };
        for (int k = 0; k < 2; k++)
        {
            Descend(plugin, second, model, [3f, 3f], 1);
            path.Add(model.Values);
        }

        // Then ω = Σ_k −a (θ_k − 3) · Δθ_k: the total gradient a (θ − 3) + 2cΩ(θ − θ*) minus SI's own term
        var omega = plugin.PathIntegral["theta"].data<float>();
        for (int i = 0; i < 2; i++)
        {
            double expected = Enumerable.Range(0, 2).Sum(k => -(A * (path[k][i] - 3)) * (path[k + 1][i] - path[k][i]));
            Assert.Equal(expected, omega[i], 4);
            // (and the step itself did include the penalty: Δθ = −lr (a (θ − 3) + 2cΩ(θ − θ*)))
            double step = -Lr * (A * (path[1][i] - 3) + 2 * 0.5 * omegaStar[i] * (path[1][i] - optimum[i]));
            Assert.Equal(path[2][i] - path[1][i], step, 4);
        }
    }
}
