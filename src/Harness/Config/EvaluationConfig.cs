namespace Harness.Config;

/// <summary>How each domain is scored before training and after every stage.</summary>
internal sealed record EvaluationConfig
{
    /// <summary>Questions decoded at once.</summary>
    [ConfigRange(1, 65536)] public int BatchSize { get; init; } = 128;
    /// <summary>Also measure teacher-forced answer-token accuracy (the second metric).</summary>
    public bool TokenAccuracy { get; init; } = true;
}
