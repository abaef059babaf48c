namespace Harness.Config;

/// <summary>Marks a concrete config record chosen by a <c>type:</c> key (e.g. a strategy), with its YAML name.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ConfigVariantAttribute(string name) : Attribute
{
    /// <summary>The value of <c>type:</c> that selects this record.</summary>
    public string Name { get; } = name;
}
