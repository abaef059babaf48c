namespace Harness.Training;

/// <summary>One stage of the curriculum: a name (the domain id, or "joint"), the domains it trains and their samples.</summary>
public sealed record TrainingStage(string Name, IReadOnlyList<int> Domains, IReadOnlyList<TrainingSample> Samples, int Epochs);
