using Harness.Training;

namespace Harness.Tests.Training;

public sealed class LearningRateScheduleTests
{
    // 100 steps, peak 2, the last 30% decaying linearly to 0.1 · peak: steps 0-69 flat, 70-99 decay.
    private static double At(int step) => LearningRateSchedule.At(step, 100, peak: 2.0, decayFraction: 0.3, minRatio: 0.1);

    [Theory]
    [InlineData(0, 2.0)]     // start: peak
    [InlineData(69, 2.0)]    // last flat step
    [InlineData(70, 1.94)]   // decay start: 2 · (1 − 1/30 · 0.9)
    [InlineData(84, 1.1)]    // halfway through the decay (progress 15/30): 2 · (1 − 0.5 · 0.9)
    [InlineData(99, 0.2)]    // end: min_lr_ratio · peak
    public void At_Step_FollowsFlatThenLinearDecay(int step, double expected)
    {
        Assert.Equal(expected, At(step), precision: 12);
    }

    [Fact]
    public void At_AllSteps_NeverIncreaseAndStayWithinPeakAndMinimum()
    {
        // Given the whole schedule
        var values = Enumerable.Range(0, 100).Select(At).ToList();

        // Then
        Assert.All(values.Zip(values.Skip(1)), p => Assert.True(p.Second <= p.First));
        Assert.All(values, v => Assert.InRange(v, 0.2 - 1e-12, 2.0));
    }

    [Fact]
    public void At_NoDecayFraction_StaysAtPeak()
    {
        Assert.All(Enumerable.Range(0, 10), s => Assert.Equal(0.5, LearningRateSchedule.At(s, 10, 0.5, 0, 0.1)));
    }
}
