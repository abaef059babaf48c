namespace Harness.Config;

/// <summary>
/// Learning without Forgetting (Li &amp; Hoiem 2016): the model as it was at the end of the previous stage teaches the
/// current one through temperature-softened answer distributions (Hinton et al. 2015).
/// </summary>
[ConfigVariant("distillation")]
internal sealed record DistillationStrategyConfig : StrategyConfig
{
    /// <summary>Weight of the distillation term against the cross-entropy (0 turns it off).</summary>
    [ConfigRange(0, 1_000_000)] public double Weight { get; init; } = 1.0;
    /// <summary>Softmax temperature T of teacher and student; the term is scaled by T² so its gradients keep their size as T changes.</summary>
    [ConfigRange(0.01, 100)] public double Temperature { get; init; } = 2.0;
    /// <summary>
    /// MiB of the teacher's answer distributions kept per stage (each sample's, the first time it is distilled), so later
    /// epochs skip the teacher's forward pass; 0 runs the teacher on every batch. Task-incremental benchmarks, which
    /// distil each earlier head separately, always run it.
    /// </summary>
    [ConfigRange(0, 1_000_000)] public int TeacherCacheMb { get; init; } = 1024;
}
