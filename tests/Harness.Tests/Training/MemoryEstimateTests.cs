using Harness.Config;
using Harness.Training;

namespace Harness.Tests.Training;

/// <summary>The memory estimate counts the distillation teacher and the targets it keeps, up to teacher_cache_mb.</summary>
public sealed class MemoryEstimateTests
{
    private static MemoryEstimate Estimate(string strategies)
    {
        using var dir = new TempDirectory();
        var loaded = ConfigLoader.Load(TinyConfig.WriteTo(dir, yaml: TinyConfig.Yaml(strategies: strategies)));
        return MemoryEstimate.For(loaded.Config, inputs: 1000, outputs: 1000, dataBytes: 0);
    }

    [Fact]
    public void Distillation_TeacherIsItsWeightsPlusKeptTargetsUpToTheBudget()
    {
        // Given the tiny config (context 64, stages of 24 samples, 1000 outputs) with an 8-sample buffer
        var naive = Estimate("  - {type: naive}");
        var unbounded = Estimate("  - {type: replay, buffer_size: 8, replay_ratio: 0.25}\n  - {type: distillation}");
        var none = Estimate("  - {type: replay, buffer_size: 8, replay_ratio: 0.25}\n  - {type: distillation, teacher_cache_mb: 0}");
        // Then without a cache the teacher is one copy of the weights; with it, (24 + 8) samples × 64 rows × 1000
        // outputs × 4 bytes more, which is under the default 1024 MiB
        Assert.Equal(0, naive.Teacher);
        Assert.Equal(none.Weights, none.Teacher);
        Assert.Equal(none.Weights + 32L * 64 * 1000 * 4, unbounded.Teacher);
    }
}
