using TorchSharp;

namespace Harness.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class DisposeScopeLeakTests
{
    [Fact]
    public void StepLoopAndEvaluator_RepeatedRuns_LiveTensorCountStaysFlat()
    {
        // Given a tiny model that has already trained and been evaluated once (so lazily created state exists)
        using var tiny = new TinyTraining();
        tiny.Train(20);
        tiny.Score();
        long threadLive = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long globalLive = torch.Tensor.TotalCount;

        // When the same 20 steps and evaluation run again
        tiny.Train(20);
        tiny.Score();

        // Then no tensor outlived its step: both live counts are where they were (a leak of one tensor per step
        // would show as +20 at least)
        long threadGrowth = DisposeScopeManager.Statistics.ThreadTotalLiveCount - threadLive;
        long globalGrowth = torch.Tensor.TotalCount - globalLive;
        Assert.True(threadGrowth <= 2, $"{threadGrowth} more live tensors on this thread after 20 more steps");
        Assert.True(globalGrowth <= 2, $"{globalGrowth} more live tensors in the process after 20 more steps");
    }
}
