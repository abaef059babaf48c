namespace Harness.Training;

/// <summary>One domain's scores: exact match of the greedy answer (main metric) and teacher-forced answer-token accuracy.</summary>
internal sealed record DomainScore(double ExactMatch, double TokenAccuracy);
