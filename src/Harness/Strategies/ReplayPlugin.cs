using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Experience replay (Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning"; Rolnick et al. 2019):
/// every new sample is offered to a bounded <see cref="ReservoirBuffer"/> once, the first time it is trained on (so
/// later epochs do not fill the buffer with copies), and once the buffer holds samples, a share <c>replay_ratio</c> of
/// each batch is drawn from it instead of from the new domain.
/// </summary>
internal sealed class ReplayPlugin(ReplayStrategyConfig config, int seed) : IStrategyPlugin
{
    private readonly ReservoirBuffer _buffer = new(config.BufferSize, StableRandom.For(seed, "replay:reservoir"));
    private readonly StableRandom _draw = StableRandom.For(seed, "replay:draw");
    private readonly HashSet<TrainingSample> _offered = new(ReferenceEqualityComparer.Instance);
    private int _slots;
    private IReadOnlyList<string> _domainIds = [];

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        // Stage 1 has nothing to replay, so it trains exactly like naive. A positive ratio replays at least one
        // sample and always leaves one slot for new data (the loader requires batch_size >= 2 with replay).
        _slots = _buffer.Count == 0 || config.ReplayRatio == 0
            ? 0
            : Math.Clamp((int)Math.Round(config.ReplayRatio * context.BatchSize), 1, context.BatchSize - 1);
        _domainIds = context.Domains.Select(d => d.Id).ToList();
    }

    /// <inheritdoc />
    public int ReservedSlots(StageContext context) => _slots;

    /// <inheritdoc />
    public void ComposeBatch(StageContext context, List<TrainingSample> batch) =>
        batch.AddRange(_buffer.Sample(_slots, _draw));

    /// <inheritdoc />
    public void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples)
    {
        foreach (var sample in newSamples)
            if (_offered.Add(sample)) _buffer.Offer(sample);
    }

    /// <inheritdoc />
    public void Report(JsonObject report) => report["replay"] = new JsonObject
    {
        ["selection"] = config.Selection,
        ["buffer_size"] = config.BufferSize,
        ["buffer_count"] = _buffer.Count,
        ["buffer_bytes"] = _buffer.Bytes,
        ["samples_seen"] = _buffer.Seen,
        ["per_domain"] = new JsonObject(_buffer.Items.GroupBy(s => s.Domain).OrderBy(g => g.Key)
            .Select(g => KeyValuePair.Create(_domainIds[g.Key], (JsonNode?)g.Count()))),
    };
}
