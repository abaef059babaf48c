namespace Harness.Config;

/// <summary>
/// Experience replay from a bounded buffer (Chaudhry et al. 2019, "On Tiny Episodic Memories"), with a choice of
/// selection policy and, optionally, DER++'s stored logits (Buzzega et al. 2020, "Dark Experience for General Continual
/// Learning").
/// </summary>
[ConfigVariant("replay")]
internal sealed record ReplayStrategyConfig : StrategyConfig
{
    /// <summary>replay_ratio when neither it nor replay_batch_size is given.</summary>
    public const double DefaultReplayRatio = 0.25;
    /// <summary>logit_weight when store_logits is on and no weight is given.</summary>
    public const double DefaultLogitWeight = 0.1;

    /// <summary>Samples the buffer holds at most.</summary>
    [ConfigRange(1, 10_000_000)] public int BufferSize { get; init; } = 200;
    /// <summary>
    /// What the buffer keeps: reservoir = a uniform sample of everything seen (Vitter's algorithm R); fifo = the newest
    /// samples; balanced = an equal share per domain, a reservoir sample within each; loss = per domain share, the
    /// samples with the highest loss at the end of their stage.
    /// </summary>
    [ConfigChoice("reservoir", "fifo", "balanced", "loss")] public string Selection { get; init; } = "reservoir";
    /// <summary>Share of each training batch drawn from the buffer (once it holds samples); null = 0.25 unless replay_batch_size is given.</summary>
    [ConfigRange(0, 0.95)] public double? ReplayRatio { get; init; }
    /// <summary>A fixed number of replayed samples per batch instead of replay_ratio (below training.batch_size).</summary>
    [ConfigRange(1, 65535)] public int? ReplayBatchSize { get; init; }
    /// <summary>
    /// Replay the buffer's share of the stage's data, |buffer| / (|buffer| + |stage samples|) of each batch, as if the
    /// memory were appended to the stage's training set (Hsu et al. 2018's naive rehearsal); instead of replay_ratio.
    /// </summary>
    public bool Proportional { get; init; }
    /// <summary>
    /// When a stage's samples enter the buffer: step = the first time each is trained on (online); stage_end = all at
    /// the stage's end, so a stage replays only earlier stages (iCaRL's and Hsu et al. 2018's memory update).
    /// </summary>
    [ConfigChoice("step", "stage_end")] public string Update { get; init; } = "step";
    /// <summary>DER++: keep each stored sample's answer logits and pull the current logits of replayed samples toward them.</summary>
    public bool StoreLogits { get; init; }
    /// <summary>Weight of the DER++ logit MSE (needs store_logits); null = 0.1.</summary>
    [ConfigRange(0, 1e6)] public double? LogitWeight { get; init; }
    /// <summary>
    /// DER++ in multi-epoch stages: at a stage's end, replace the stored logits of that stage's buffered samples by the
    /// trained model's (a sample is stored the first time it is seen, before the stage has taught it). Mammoth's DER
    /// gets a similar effect by re-inserting samples in later epochs; X-DER (Boschini et al. 2022) updates buffer logits.
    /// The loss policy already stores at the stage's end.
    /// </summary>
    public bool RefreshLogits { get; init; }
}
