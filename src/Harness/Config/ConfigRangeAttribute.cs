namespace Harness.Config;

/// <summary>The numeric range a config value must lie in (inclusive), checked when the config loads.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigRangeAttribute(double min, double max) : Attribute
{
    /// <summary>Smallest allowed value.</summary>
    public double Min { get; } = min;
    /// <summary>Largest allowed value.</summary>
    public double Max { get; } = max;
}
