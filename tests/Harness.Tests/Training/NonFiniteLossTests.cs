using Harness.Config;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>A NaN or infinite loss never reaches the weights: it stops the run naming where, or skips the batch.</summary>
[Collection(TorchCollection.Name)]
public sealed class NonFiniteLossTests
{
    /// <summary>5 SGD steps of a small MLP whose loss gets <paramref name="poison"/> added at step 3 (1-based); returns the weights before and after, and the log.</summary>
    private static (float[] Before, float[] After, string Log, StepLoop Loop, Exception? Error) Train(string onNonfinite, float poison, int logEvery = 1) =>
        Train(onNonfinite, logits => logits.sum() * 0 + poison, gradClip: 0, logEvery);

    /// <summary>The same with <paramref name="extra"/> added to the loss at step 3.</summary>
    private static (float[] Before, float[] After, string Log, StepLoop Loop, Exception? Error) Train(string onNonfinite, Func<Tensor, Tensor> extra, double gradClip, int logEvery = 1)
    {
        using var task = new TinyImageTask(3);
        var (model, samples) = (task.Model, task.Samples);
        var training = new TrainingConfig { Optimizer = "sgd", DecayFraction = 0, GradClip = gradClip, WeightDecay = 0, LogEvery = logEvery, OnNonfinite = onNonfinite };
        var console = new StringWriter();
        using var log = new RunLog(console, interactive: false);
        var loop = new StepLoop(model, CPU, log, training);
        var before = task.Weights();
        int step = 0;
        var error = Record.Exception(() => loop.Run("stage 2/3 poetry", 5, 0.1, _ => samples,
            (_, logits) => ++step == 3 ? extra(logits) : null, _ => { }));
        var after = task.Weights();
        loop.Dispose();
        return (before, after, console.ToString(), loop, error);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void NonFiniteLoss_WithStop_FailsNamingStageStepAndDomain(float poison, string shown)
    {
        // Given on_nonfinite: stop (the default) and a loss that turns non-finite at step 3
        var (_, after, _, _, error) = Train("stop", poison);
        // Then training stops there with a message naming stage, domain and step, and no NaN reached the weights
        var e = Assert.IsType<NonFiniteLossException>(error);
        Assert.StartsWith("stage 2/3 poetry step 3/5: the loss is ", e.Message);
        Assert.Contains(shown, e.Message);
        Assert.All(after, w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void NonFiniteLossBetweenLogLines_WithStop_IsFoundAtTheNextLogLineAndNamesItsOwnStep()
    {
        // Given a NaN at step 3 of 5 and a log line only after step 5 (the host reads the device only then)
        var (_, _, log, _, error) = Train("stop", float.NaN, logEvery: 5);
        // Then the run still stops, naming step 3, before logging step 5
        var e = Assert.IsType<NonFiniteLossException>(error);
        Assert.StartsWith("stage 2/3 poetry step 3/5: the loss is NaN", e.Message);
        Assert.DoesNotContain("step 5/5", log);
    }

    [Fact]
    public void FiniteLossWithNaNGradient_WithClipping_FailsNamingTheGradientNorm()
    {
        // Given a term whose value is 0 but whose gradient is NaN (√x at 0, times 0), and clipping on
        var (_, after, _, _, error) = Train("stop", logits => (logits.sum() * 0).sqrt(), gradClip: 1);
        // Then the gradient norm gives it away before the optimiser steps
        var e = Assert.IsType<NonFiniteLossException>(error);
        Assert.StartsWith("stage 2/3 poetry step 3/5: the gradient norm is NaN", e.Message);
        Assert.All(after, w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void NonFiniteLoss_WithSkipBatch_SkipsThatStepOnly()
    {
        // Given on_nonfinite: skip_batch and a NaN at step 3 of 5
        var (before, after, log, loop, error) = Train("skip_batch", float.NaN);
        // Then the run goes on: 4 steps trained, 1 skipped and logged, weights finite and changed
        Assert.Null(error);
        Assert.Equal(1, loop.SkippedBatches);
        Assert.Contains("stage 2/3 poetry step 3/5: the loss is NaN; batch skipped", log);
        Assert.All(after, w => Assert.True(float.IsFinite(w)));
        Assert.NotEqual(before, after);
    }
}
