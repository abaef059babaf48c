namespace Harness.Config;

/// <summary>The numeric range a config value must lie in (inclusive), checked when the config loads.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigRangeAttribute(double min, double max) : Attribute
{
    /// <summary>Smallest allowed value.</summary>
    public double Min { get; } = min;
    /// <summary>Largest allowed value.</summary>
    public double Max { get; } = max;
}

/// <summary>The values a string config key may take, checked when the config loads.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigChoiceAttribute(params string[] choices) : Attribute
{
    /// <summary>Allowed values.</summary>
    public IReadOnlyList<string> Choices { get; } = choices;
}

/// <summary>A list that must hold at least one item.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigNonEmptyAttribute : Attribute;
