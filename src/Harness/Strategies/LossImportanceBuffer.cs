using System.Text.Json.Nodes;
using Harness.Data;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>
/// Loss-based importance selection: at the end of each stage the samples first trained in it are scored by their loss
/// under the current model (mean cross-entropy over the answer tokens), and each domain keeps its highest-loss samples
/// within its share of the capacity (shares as in <see cref="BalancedBuffer"/>: <see cref="BalancedShares"/> over the
/// domains seen). A high loss after training marks what the model has not absorbed, the samples most informative to
/// rehearse: the "surprise" criterion of selective experience replay (Isele &amp; Cosgun 2018, "Selective Experience
/// Replay for Lifelong Learning"), with the loss as the surprise. An earlier domain that must give up slots keeps the
/// samples with the highest loss as scored at the end of its own stage.
/// </summary>
internal sealed class LossImportanceBuffer(int capacity) : IReplayBuffer
{
    private readonly List<int> _domains = []; // in arrival order
    private readonly Dictionary<int, List<(ReplayEntry Entry, double Loss)>> _held = [];
    private readonly List<TrainingSample> _candidates = [];

    /// <inheritdoc />
    public long Seen { get; private set; }

    /// <inheritdoc />
    public int Count => _held.Values.Sum(list => list.Count);

    /// <summary>The held entries, grouped by domain in arrival order, highest loss first within a domain.</summary>
    public IReadOnlyList<ReplayEntry> Items => _domains.SelectMany(d => _held[d].Select(x => x.Entry)).ToList();

    /// <inheritdoc />
    public long Bytes => _held.Values.Sum(list => list.Sum(x => x.Entry.Bytes));

    /// <inheritdoc />
    public bool SelectsAtStageEnd => true;

    /// <summary>Nominates the sample for the selection at the stage's end; nothing is held before then.</summary>
    public bool Offer(ReplayEntry entry)
    {
        Seen++;
        _candidates.Add(entry.Sample);
        return false;
    }

    /// <summary>Checkpoints come at a stage's end, after <see cref="OnStageEnd"/>: no candidate is pending then.</summary>
    public void Save(PluginState state)
    {
        if (_candidates.Count > 0) throw new InvalidOperationException("loss buffer: a checkpoint while candidates await selection");
        ReplayEntries.PutByDomain(state, _domains.Select(d => (d, (IReadOnlyList<ReplayEntry>)_held[d].Select(x => x.Entry).ToList())).ToList());
        state.Values["buffer_losses"] = new JsonArray(_domains.SelectMany(d => _held[d]).Select(x => (JsonNode?)x.Loss).ToArray());
        state.Values["buffer_seen"] = Seen;
    }

    /// <inheritdoc />
    public void Load(PluginState state)
    {
        var groups = ReplayEntries.GetByDomain(state);
        var losses = state.Value("buffer_losses").AsArray().Select(l => l!.GetValue<double>()).ToList();
        _domains.Clear();
        _held.Clear();
        _candidates.Clear();
        int offset = 0; // the losses run through the groups in their stored order
        foreach (var (domain, entries) in groups)
        {
            _domains.Add(domain);
            _held[domain] = entries.Select((entry, k) => (entry, losses[offset + k])).ToList();
            offset += entries.Count;
        }
        Seen = state.Value("buffer_seen").GetValue<long>();
    }

    /// <inheritdoc />
    public IEnumerable<ReplayEntry> Sample(int count, StableRandom draw)
    {
        var items = Items;
        for (int i = 0; i < count; i++) yield return items[draw.Next(items.Count)];
    }

    /// <summary>Scores this stage's candidates and keeps the highest-loss samples of every domain within its share.</summary>
    public void OnStageEnd(IReplayScorer scorer)
    {
        if (_candidates.Count == 0) return;
        var losses = scorer.Losses(_candidates);
        // Per domain: what it holds (entry known) plus this stage's candidates (entry made once chosen).
        var pools = _domains.ToDictionary(d => d,
            d => _held[d].Select(x => (x.Entry.Sample, Entry: (ReplayEntry?)x.Entry, x.Loss)).ToList());
        for (int i = 0; i < _candidates.Count; i++)
        {
            int domain = _candidates[i].Domain;
            if (!pools.TryGetValue(domain, out var pool))
            {
                _domains.Add(domain);
                pools[domain] = pool = [];
            }
            pool.Add((_candidates[i], null, losses[i]));
        }
        _candidates.Clear();

        var shares = BalancedShares.Split(capacity, _domains.Select(d => pools[d].Count).ToList());
        var kept = _domains.Select((d, i) => pools[d]
            .Select((x, order) => (x, order))
            .OrderByDescending(y => y.x.Loss).ThenBy(y => y.order) // ties: the earlier sample
            .Take(shares[i]).Select(y => y.x).ToList()).ToList();
        var chosen = kept.SelectMany(list => list).Where(x => x.Entry is null).Select(x => x.Sample).ToList();
        var made = new Dictionary<TrainingSample, ReplayEntry>(ReferenceEqualityComparer.Instance);
        foreach (var entry in scorer.Entries(chosen)) made[entry.Sample] = entry;
        for (int i = 0; i < _domains.Count; i++)
            _held[_domains[i]] = kept[i].Select(x => (x.Entry ?? made[x.Sample], x.Loss)).ToList();
    }
}
