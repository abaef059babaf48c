namespace Harness.Config;

/// <summary>The values a string config key may take, checked when the config loads.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigChoiceAttribute(params string[] choices) : Attribute
{
    /// <summary>Allowed values.</summary>
    public IReadOnlyList<string> Choices { get; } = choices;
}
