using Harness.Config;

namespace Harness.Data;

/// <summary>Turns the config's curriculum into split domains, deterministically from the seed.</summary>
public static class CurriculumLoader
{
    /// <summary>Loads and splits every domain of <paramref name="loaded"/>.</summary>
    public static IReadOnlyList<DomainData> Load(LoadedConfig loaded) =>
        loaded.Config.Curriculum.Select(d => LoadDomain(loaded, d)).ToList();

    private static DomainData LoadDomain(LoadedConfig loaded, DomainConfig domain)
    {
        var all = ReadSource(loaded, domain).ToList();
        var distinct = all.DistinctBy(p => p.Prompt).ToList();
        int needed = domain.TrainSize + domain.HeldoutSize;
        if (needed > distinct.Count)
            throw loaded.Positions.Error(domain, "train_size",
                $"{domain.Id} has {distinct.Count} distinct pairs, fewer than train_size + heldout_size = {needed}");

        var random = StableRandom.For(loaded.Config.Seed, "split:" + domain.Id);
        random.Shuffle(distinct);
        var train = distinct.Take(domain.TrainSize).ToList();
        var heldout = distinct.Skip(domain.TrainSize).Take(domain.HeldoutSize).ToList();
        var recall = train.ToList();
        StableRandom.For(loaded.Config.Seed, "recall:" + domain.Id).Shuffle(recall);
        return new DomainData(domain.Id, train, recall.Take(domain.TestSize).ToList(), heldout);
    }

    private static IReadOnlyList<QaPair> ReadSource(LoadedConfig loaded, DomainConfig domain)
    {
        var source = domain.Source;
        if (source == "math") return MathFacts.All();
        var path = source.StartsWith("jsonl:", StringComparison.Ordinal)
            ? ConfigLoader.ResolvePath(loaded.BaseDirectory, source["jsonl:".Length..])
            : DataPaths.BuiltinDomain(source);
        if (!File.Exists(path)) throw loaded.Positions.Error(domain, "source", $"data file {path} not found");
        return JsonlPairs.Read(path);
    }
}
