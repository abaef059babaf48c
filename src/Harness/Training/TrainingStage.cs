namespace Harness.Training;

/// <summary>One stage of the curriculum: a name (the domain id, or "joint"), the domains it trains and their samples.</summary>
internal sealed record TrainingStage(string Name, IReadOnlyList<int> Domains, IReadOnlyList<TrainingSample> Samples, int Epochs);
