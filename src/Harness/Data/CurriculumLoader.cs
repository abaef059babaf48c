using Harness.Config;

namespace Harness.Data;

/// <summary>Turns the config's curriculum into split domains, deterministically from the seed.</summary>
internal static class CurriculumLoader
{
    /// <summary>Loads and splits every domain of <paramref name="loaded"/>.</summary>
    public static IReadOnlyList<DomainData> Load(LoadedConfig loaded) =>
        loaded.Config.Curriculum.Select(d => LoadDomain(loaded, d)).ToList();

    private static DomainData LoadDomain(LoadedConfig loaded, DomainConfig domain)
    {
        var distinct = ReadSource(loaded, domain).DistinctBy(p => p.Prompt).ToList();
        // Pairs with the same key land on the same side of the train/held-out split (see MathFacts.OperandKey).
        Func<QaPair, string> key = domain.Source == "math" ? MathFacts.OperandKey : p => p.Prompt;
        var groups = distinct.GroupBy(key).Select(g => g.ToList()).ToList();
        StableRandom.For(loaded.Config.Seed, "split:" + domain.Id).Shuffle(groups);

        var train = new List<QaPair>();
        var heldout = new List<QaPair>();
        foreach (var group in groups)
        {
            var side = train.Count < domain.TrainSize ? train : heldout;
            int room = side == train ? domain.TrainSize - train.Count : domain.HeldoutSize - heldout.Count;
            if (room <= 0) break;
            side.AddRange(group.Take(room)); // the rest of a cut group is used nowhere, so nothing leaks
        }
        if (train.Count < domain.TrainSize || heldout.Count < domain.HeldoutSize)
            throw loaded.Positions.Error(domain, "train_size",
                $"{domain.Id} has {distinct.Count} distinct pairs, too few for train_size {domain.TrainSize} + heldout_size {domain.HeldoutSize}");

        var recall = train.ToList();
        StableRandom.For(loaded.Config.Seed, "recall:" + domain.Id).Shuffle(recall);
        return new DomainData(domain.Id, train, recall.Take(domain.TestSize).ToList(), heldout, distinct);
    }

    private static IReadOnlyList<QaPair> ReadSource(LoadedConfig loaded, DomainConfig domain)
    {
        if (SourcePath(loaded, domain) is not { } path) return MathFacts.All();
        if (Directory.Exists(path)) throw loaded.Positions.Error(domain, "source", $"{path} is a directory, not a data file");
        if (!File.Exists(path)) throw loaded.Positions.Error(domain, "source", $"data file {path} not found");
        // Errors in a line name the data file's line and the config key; errors about the whole file, the config key.
        return JsonlPairs.Read(path, loaded.Positions.PathOf(domain, "source"),
            reason => loaded.Positions.Error(domain, "source", $"{path}: {reason}"));
    }

    /// <summary>The data file of <paramref name="domain"/>; null for the generated math facts.</summary>
    public static string? SourcePath(LoadedConfig loaded, DomainConfig domain) => domain.Source switch
    {
        "math" => null,
        var s when s.StartsWith("jsonl:", StringComparison.Ordinal) => ConfigLoader.ResolvePath(loaded.BaseDirectory, s["jsonl:".Length..]),
        var s => DataPaths.BuiltinDomain(s),
    };

    /// <summary>
    /// An input error about one pair of <paramref name="domain"/> (too long for the context, say): at the data file's
    /// line of the pair and its <paramref name="field"/>, or at the config's source key for generated facts.
    /// </summary>
    public static HarnessInputException PairError(LoadedConfig loaded, DomainConfig domain, QaPair pair, string field, string reason)
    {
        if (SourcePath(loaded, domain) is not { } path) return loaded.Positions.Error(domain, "source", reason);
        return new($"{path}:{JsonlPairs.LineOf(path, pair.Prompt)}: {field}: {reason} ({loaded.Positions.PathOf(domain, "source")})");
    }
}
