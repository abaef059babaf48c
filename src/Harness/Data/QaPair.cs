namespace Harness.Data;

/// <summary>One question → answer pair of a domain.</summary>
internal sealed record QaPair(string Prompt, string Answer);
