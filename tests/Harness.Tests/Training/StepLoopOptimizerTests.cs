using Harness.Config;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class StepLoopOptimizerTests
{
    /// <summary>Weights after two stages of 3 Adam steps on the same batch, with a fresh or a kept optimiser.</summary>
    private static (float[] AfterFirst, float[] AfterSecond) Train(bool resetOptimizer)
    {
        using var task = new TinyImageTask(7);
        var (model, samples) = (task.Model, task.Samples);
        var training = new TrainingConfig { ResetOptimizer = resetOptimizer, DecayFraction = 0, GradClip = 0, WeightDecay = 0, LogEvery = 100 };
        using var log = new RunLog(TextWriter.Null, interactive: false);
        using var loop = new StepLoop(model, CPU, log, training);
        loop.Run("stage 1", 3, 0.01, _ => samples, (_, _) => null, _ => { });
        var afterFirst = task.Weights();
        loop.Run("stage 2", 3, 0.01, _ => samples, (_, _) => null, _ => { });
        return (afterFirst, task.Weights());
    }

    [Fact]
    public void ResetOptimizerFalse_CarriesAdamsMomentsIntoTheNextStage()
    {
        // Given the same model, data and steps, once with a fresh Adam per stage and once with one Adam kept
        var fresh = Train(resetOptimizer: true);
        var kept = Train(resetOptimizer: false);

        // Then the first stage is identical, and the second differs (Adam's moments and step count carried over)
        Assert.Equal(fresh.AfterFirst, kept.AfterFirst);
        Assert.NotEqual(fresh.AfterSecond, kept.AfterSecond);
    }
}
