using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Data;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// Experience replay (Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning"; Rolnick et al. 2019):
/// every new sample is offered to a bounded <see cref="IReplayBuffer"/> once, the first time it is trained on (so
/// later epochs do not fill the buffer with copies), and once the buffer holds samples, <c>replay_batch_size</c>
/// samples or a share <c>replay_ratio</c> of each batch are drawn from it instead of from the new domain.
/// <para>
/// With <c>store_logits</c> this is DER++ (Buzzega et al. 2020, "Dark Experience for General Continual Learning"):
/// a stored entry also keeps the model's answer-position logits from the training step that stored it (or, for the
/// <c>loss</c> policy or with <c>refresh_logits</c>, from the stage's end), and the loss gains
/// <c>logit_weight · MSE(current logits, stored logits)</c> over the replayed samples' answer positions (DER's α
/// term). DER++'s β term, cross-entropy on replayed samples' labels, is already in the batch loss, since replayed
/// samples are trained like new ones. Unlike the paper, which draws the two terms' samples separately, one draw serves
/// both.
/// </para>
/// </summary>
internal sealed class ReplayPlugin : IStrategyPlugin
{
    private readonly ReplayStrategyConfig _config;
    private readonly IReplayBuffer _buffer;
    private readonly StableRandom _draw;
    private readonly HashSet<TrainingSample> _offered = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TrainingSample, float[]> _pendingLogits = new(ReferenceEqualityComparer.Instance);
    private readonly bool _logitsAtOffer;
    private readonly bool _atStageEnd;
    private readonly List<TrainingSample> _stageSamples = [];
    private List<ReplayEntry> _replayed = [];
    private int _replayStart;
    private int _slots;
    private IReadOnlyList<string> _domainIds = [];

    /// <summary>A replay plugin with the buffer <c>selection</c> names.</summary>
    public ReplayPlugin(ReplayStrategyConfig config, int seed)
    {
        _config = config;
        _buffer = config.Selection switch
        {
            "reservoir" => new ReservoirBuffer(config.BufferSize, StableRandom.For(seed, "replay:reservoir")),
            "fifo" => new FifoBuffer(config.BufferSize),
            "balanced" => new BalancedBuffer(config.BufferSize, StableRandom.For(seed, "replay:balanced")),
            "loss" => new LossImportanceBuffer(config.BufferSize),
            _ => throw new InvalidOperationException($"no replay buffer for selection '{config.Selection}'"),
        };
        _draw = StableRandom.For(seed, "replay:draw");
        _atStageEnd = config.Update == "stage_end";
        _logitsAtOffer = config.StoreLogits && !_buffer.SelectsAtStageEnd && !_atStageEnd;
    }

    /// <inheritdoc />
    public void OnStageStart(StageContext context)
    {
        // Stage 1 has nothing to replay, so it trains exactly like naive. A positive ratio replays at least one
        // sample and always leaves one slot for new data (the loader requires batch_size >= 2 with replay, and
        // replay_batch_size below batch_size).
        double ratio = _config.ReplayRatio ?? ReplayStrategyConfig.DefaultReplayRatio;
        _slots = _buffer.Count == 0 ? 0
            : _config.ReplayBatchSize is { } fixedCount ? fixedCount
            : _config.Proportional ? Math.Clamp((int)Math.Round(context.BatchSize * (double)_buffer.Count / (_buffer.Count + context.Stage.Samples.Count)), 1, context.BatchSize - 1)
            : ratio == 0 ? 0
            : Math.Clamp((int)Math.Round(ratio * context.BatchSize), 1, context.BatchSize - 1);
        _domainIds = context.DomainIds;
    }

    /// <inheritdoc />
    public int ReservedSlots(StageContext context) => _slots;

    /// <inheritdoc />
    public void ComposeBatch(StageContext context, List<TrainingSample> batch)
    {
        _pendingLogits.Clear(); // logits kept in a step that was then skipped (on_nonfinite: skip_batch) are not this batch's
        _replayStart = batch.Count;
        _replayed = _buffer.Sample(_slots, _draw).ToList();
        batch.AddRange(_replayed.Select(e => e.Sample));
    }

    /// <summary>
    /// DER++: keeps the logits of samples seen for the first time (they may be stored at this step's end), and returns
    /// <c>logit_weight · MSE</c> between the replayed samples' current and stored answer logits (mean over rows × vocabulary).
    /// </summary>
    public Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits)
    {
        if (!_config.StoreLogits) return null;
        var starts = AnswerRows.Starts(batch.Samples);
        if (_logitsAtOffer) KeepLogitsOfFirstSeen(batch.Samples, answerLogits, starts);
        if (_replayed.Count == 0) return null;

        int vocab = (int)answerLogits.shape[1];
        var rows = new List<long>();
        var stored = new List<float>();
        for (int i = 0; i < _replayed.Count; i++)
        {
            int b = _replayStart + i;
            var logits = _replayed[i].Logits;
            if (logits is null || logits.Length != (starts[b + 1] - starts[b]) * vocab)
                throw new InvalidOperationException("DER++: a replayed entry has no logits of its answer's shape");
            for (int r = starts[b]; r < starts[b + 1]; r++) rows.Add(r);
            stored.AddRange(logits);
        }
        var current = answerLogits.index_select(0, tensor(rows.ToArray(), device: answerLogits.device)); // [M, V]
        var target = tensor(stored.ToArray(), [rows.Count, vocab], device: answerLogits.device); // [M, V]
        return _config.LogitWeight.GetValueOrDefault(ReplayStrategyConfig.DefaultLogitWeight)
               * nn.functional.mse_loss(current, target);
    }

    /// <summary>Copies to the host the answer logits of the batch's not yet offered samples (before the replayed ones).</summary>
    private void KeepLogitsOfFirstSeen(IReadOnlyList<TrainingSample> samples, Tensor answerLogits, int[] starts)
    {
        var firstSeen = Enumerable.Range(0, Math.Min(_replayStart, samples.Count))
            .Where(b => !_offered.Contains(samples[b]) && !_pendingLogits.ContainsKey(samples[b])).ToList();
        if (firstSeen.Count == 0) return; // after the first epoch of a stage, nothing is copied
        int vocab = (int)answerLogits.shape[1];
        int rowCount = starts[firstSeen[^1] + 1];
        using var leading = answerLogits.narrow(0, 0, rowCount).detach().cpu(); // [rows, V]
        var host = leading.data<float>().ToArray();
        foreach (int b in firstSeen) _pendingLogits[samples[b]] = host[(starts[b] * vocab)..(starts[b + 1] * vocab)];
    }

    /// <inheritdoc />
    public void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples)
    {
        foreach (var sample in newSamples)
        {
            if (!_offered.Add(sample)) continue;
            if (_atStageEnd)
            {
                _stageSamples.Add(sample); // enters the buffer when the stage ends
                continue;
            }
            float[]? logits = null;
            if (_logitsAtOffer && !_pendingLogits.TryGetValue(sample, out logits))
                throw new InvalidOperationException("DER++: no logits were captured for a new sample (ExtraLoss runs before OnStepEnd)");
            _buffer.Offer(new ReplayEntry(sample, logits));
        }
        _pendingLogits.Clear();
    }

    /// <inheritdoc />
    public void OnStageEnd(StageContext context)
    {
        _replayed = [];
        var scorer = new ModelReplayScorer(context.Model, context.Device, context.BatchSize, _config.StoreLogits);
        if (_atStageEnd)
        {
            // In training order (a shuffle already), with logits of the model that has learned them (DER++).
            foreach (var entry in scorer.Entries(_stageSamples)) _buffer.Offer(entry);
            _stageSamples.Clear();
        }
        _buffer.OnStageEnd(scorer);
        if (_config.RefreshLogits && _logitsAtOffer) RefreshLogits(context, scorer);
    }

    /// <summary>refresh_logits: this stage's buffered samples get the logits of the model that has now learned them.</summary>
    private void RefreshLogits(StageContext context, IReplayScorer scorer)
    {
        var held = _buffer.Items.Where(e => context.Stage.Domains.Contains(e.Sample.Domain) && e.Logits is not null).ToList();
        var fresh = scorer.Entries(held.Select(e => e.Sample).ToList());
        for (int i = 0; i < held.Count; i++) fresh[i].Logits!.CopyTo(held[i].Logits!, 0); // same sample, same shape
    }

    /// <summary>
    /// The buffer, the draw's random state and which samples were already offered (a checkpoint comes after a stage's
    /// end, when nothing is pending: no logits waiting, no stage samples waiting for stage_end).
    /// </summary>
    public void SaveState(PluginState state)
    {
        _buffer.Save(state);
        state.PutInts("offered", _offered.Select(state.Samples.Id).Order());
        state.Values["draw"] = _draw.State;
    }

    /// <inheritdoc />
    public void LoadState(PluginState state, ResumeContext context)
    {
        _buffer.Load(state);
        _offered.Clear();
        foreach (int id in state.Ints("offered")) _offered.Add(state.Samples.Sample(id));
        _draw.State = state.Value("draw").GetValue<ulong>();
        _domainIds = context.DomainIds; // the report names domains even when no stage is left to start
    }

    /// <inheritdoc />
    public void Report(JsonObject report)
    {
        var items = _buffer.Items;
        report["replay"] = new JsonObject
        {
            ["selection"] = _config.Selection,
            ["buffer_size"] = _config.BufferSize,
            ["buffer_count"] = items.Count,
            ["buffer_bytes"] = _buffer.Bytes,
            ["token_bytes"] = items.Sum(e => e.TokenBytes),
            ["logit_bytes"] = items.Sum(e => e.LogitBytes),
            ["samples_seen"] = _buffer.Seen,
            ["replay_ratio"] = _config.ReplayBatchSize is null && !_config.Proportional ? _config.ReplayRatio ?? ReplayStrategyConfig.DefaultReplayRatio : null,
            ["proportional"] = _config.Proportional,
            ["update"] = _config.Update,
            ["replay_batch_size"] = _config.ReplayBatchSize,
            ["store_logits"] = _config.StoreLogits,
            ["logit_weight"] = _config.StoreLogits ? _config.LogitWeight ?? ReplayStrategyConfig.DefaultLogitWeight : null,
            ["per_domain"] = new JsonObject(items.GroupBy(e => e.Sample.Domain).OrderBy(g => g.Key)
                .Select(g => KeyValuePair.Create(_domainIds[g.Key], (JsonNode?)g.Count()))),
        };
    }
}
