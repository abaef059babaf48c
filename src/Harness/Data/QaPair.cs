namespace Harness.Data;

/// <summary>One question → answer pair of a domain.</summary>
public sealed record QaPair(string Prompt, string Answer);
