namespace Harness.Training;

/// <summary>Flat at the peak, then a linear decay to <c>minRatio · peak</c> over the last <c>decayFraction</c> of the steps.</summary>
internal static class LearningRateSchedule
{
    /// <summary>The learning rate of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(int step, int totalSteps, double peak, double decayFraction, double minRatio)
    {
        int decaySteps = (int)Math.Round(totalSteps * decayFraction);
        int decayStart = totalSteps - decaySteps;
        if (decaySteps == 0 || step < decayStart) return peak;
        double progress = (step - decayStart + 1) / (double)decaySteps; // (0, 1]
        return peak * (1 - progress * (1 - minRatio));
    }
}
