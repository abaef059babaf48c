namespace Harness.Strategies;

/// <summary>Replay entries in a checkpoint: the samples by number and, for DER++, their stored logits, concatenated.</summary>
internal static class ReplayEntries
{
    /// <summary>Stores <paramref name="entries"/> under <paramref name="name"/>.</summary>
    public static void Put(PluginState state, string name, IEnumerable<ReplayEntry> entries)
    {
        var list = entries.ToList();
        state.PutInts($"{name}.samples", list.Select(e => state.Samples.Id(e.Sample)));
        // -1: no logits (plain replay), else the length of this entry's logits.
        state.PutInts($"{name}.logit_lengths", list.Select(e => e.Logits?.Length ?? -1));
        state.PutFloats($"{name}.logits", list.SelectMany(e => e.Logits ?? []));
    }

    /// <summary>The entries stored under <paramref name="name"/>, in their stored order.</summary>
    public static List<ReplayEntry> Get(PluginState state, string name)
    {
        var samples = state.Ints($"{name}.samples");
        var lengths = state.Ints($"{name}.logit_lengths");
        var logits = state.Floats($"{name}.logits");
        var entries = new List<ReplayEntry>(samples.Length);
        int offset = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float[]? own = lengths[i] < 0 ? null : logits[offset..(offset + lengths[i])];
            offset += Math.Max(0, lengths[i]);
            entries.Add(new ReplayEntry(state.Samples.Sample(samples[i]), own));
        }
        return entries;
    }
}
