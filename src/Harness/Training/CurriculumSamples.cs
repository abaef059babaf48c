namespace Harness.Training;

/// <summary>
/// The curriculum as the trainer sees it, whatever the data: each domain's id, its encoded training samples and the
/// epochs of its stage.
/// </summary>
internal sealed record CurriculumSamples(
    IReadOnlyList<string> DomainIds,
    IReadOnlyList<IReadOnlyList<TrainingSample>> Train,
    IReadOnlyList<int> Epochs);
