using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Numbers every training sample of a curriculum (domain after domain, in data order), so a checkpoint can name the
/// samples a replay buffer holds and a resumed run, which rebuilds the same samples from the same data, finds them.
/// </summary>
internal sealed class SampleIndex
{
    private readonly List<TrainingSample> _samples = [];
    private readonly Dictionary<TrainingSample, int> _ids = new(ReferenceEqualityComparer.Instance);

    /// <summary>The index of <paramref name="curriculum"/>'s training samples.</summary>
    public SampleIndex(CurriculumSamples curriculum)
    {
        foreach (var domain in curriculum.Train)
            foreach (var sample in domain)
            {
                _ids.Add(sample, _samples.Count);
                _samples.Add(sample);
            }
    }

    /// <summary>The number of <paramref name="sample"/>.</summary>
    public int Id(TrainingSample sample) =>
        _ids.TryGetValue(sample, out int id) ? id : throw new InvalidOperationException("checkpoint: a sample that is not in the curriculum");

    /// <summary>The sample numbered <paramref name="id"/>.</summary>
    public TrainingSample Sample(int id) =>
        id >= 0 && id < _samples.Count ? _samples[id] : throw new InvalidDataException($"checkpoint: sample {id} is not in the curriculum ({_samples.Count} samples)");
}
