using Harness.Data;

namespace Harness.Strategies;

/// <summary>
/// The storage side of replay, separate from how batches use it (Avalanche's storage policies): a bounded memory of
/// <see cref="ReplayEntry"/> that decides what to keep. Each selection policy is one implementation.
/// </summary>
internal interface IReplayBuffer
{
    /// <summary>Samples offered so far.</summary>
    long Seen { get; }

    /// <summary>Samples held now (≤ capacity).</summary>
    int Count { get; }

    /// <summary>The held entries (a snapshot for policies that keep them in several lists).</summary>
    IReadOnlyList<ReplayEntry> Items { get; }

    /// <summary>Bytes held: token ids plus stored logits.</summary>
    long Bytes { get; }

    /// <summary>
    /// True when the policy chooses what to keep only at the stage's end (<see cref="OnStageEnd"/>); offers then only
    /// nominate candidates, and the entries' logits come from <see cref="IReplayScorer.Entries"/>.
    /// </summary>
    bool SelectsAtStageEnd => false;

    /// <summary>Offers one newly trained sample; true when it is now held.</summary>
    bool Offer(ReplayEntry entry);

    /// <summary><paramref name="count"/> entries drawn uniformly with replacement.</summary>
    IEnumerable<ReplayEntry> Sample(int count, StableRandom draw);

    /// <summary>Puts the held entries and the policy's counters and random state into a checkpoint (under "buffer").</summary>
    void Save(PluginState state);

    /// <summary>Replaces everything held with what <see cref="Save"/> stored.</summary>
    void Load(PluginState state);

    /// <summary>The stage finished training; policies that select by the model's judgement act here.</summary>
    void OnStageEnd(IReplayScorer scorer) { }
}
