using System.Text.Json.Nodes;

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

    /// <summary>Entries held per domain (domains in arrival order), under "buffer": one list plus each domain and its count.</summary>
    public static void PutByDomain(PluginState state, IReadOnlyList<(int Domain, IReadOnlyList<ReplayEntry> Entries)> groups)
    {
        Put(state, "buffer", groups.SelectMany(g => g.Entries));
        state.Values["buffer_domains"] = new JsonArray(groups.Select(g => (JsonNode?)g.Domain).ToArray());
        state.Values["buffer_counts"] = new JsonArray(groups.Select(g => (JsonNode?)g.Entries.Count).ToArray());
    }

    /// <summary>The groups <see cref="PutByDomain"/> stored, in their stored order.</summary>
    public static List<(int Domain, List<ReplayEntry> Entries)> GetByDomain(PluginState state)
    {
        var entries = Get(state, "buffer");
        var domains = state.Value("buffer_domains").AsArray().Select(d => d!.GetValue<int>()).ToList();
        var counts = state.Value("buffer_counts").AsArray().Select(c => c!.GetValue<int>()).ToList();
        var groups = new List<(int, List<ReplayEntry>)>(domains.Count);
        int offset = 0;
        for (int i = 0; i < domains.Count; i++)
        {
            groups.Add((domains[i], entries.GetRange(offset, counts[i])));
            offset += counts[i];
        }
        return groups;
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
