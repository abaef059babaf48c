namespace Harness.Config;

/// <summary>A list that must hold at least one item.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigNonEmptyAttribute : Attribute;
