namespace Harness.Config;

/// <summary>
/// What makes two runs the same experiment: the resolved config without the keys that only say how to run it (the
/// device, the non-finite policy, the memory limit). A suite skips a finished run and <c>--resume</c> accepts a config
/// when this text is equal, so moving a run to CUDA, raising its memory limit or letting it skip a NaN batch does not
/// make it another experiment.
/// </summary>
internal static class ConfigIdentity
{
    /// <summary>The config as YAML with those keys set to fixed values.</summary>
    public static string Of(ExperimentConfig config) => ConfigWriter.ToYaml(config with
    {
        Device = "auto",
        Training = config.Training with { OnNonfinite = "stop", MaxMemoryMb = 0 },
    });
}
