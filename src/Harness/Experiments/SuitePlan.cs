using Harness.Config;

namespace Harness.Experiments;

/// <summary>
/// The (variant, seed) pairs a suite command covers, numbered in plan order: the variants selected with --only (all by
/// default) in suite-file order, and for each the seeds selected with --seeds/--seed (the suite's by default).
/// </summary>
internal static class SuitePlan
{
    /// <summary>Every selected pair, numbered from 0 (a --shard narrows this list, it does not renumber it).</summary>
    public static IReadOnlyList<SuitePair> Pairs(SuiteDefinition suite, SuiteOptions options)
    {
        var seeds = Seeds(suite, options);
        return Variants(suite, options)
            .SelectMany(v => seeds.Select(s => (Variant: v, Seed: s)))
            .Select((p, i) => new SuitePair(i, p.Variant, p.Seed))
            .ToList();
    }

    /// <summary>The seeds the suite's report covers: the suite's own, plus any others asked for with --seed.</summary>
    public static IReadOnlyList<int> ReportSeeds(SuiteDefinition suite, SuiteOptions options) =>
        suite.Seeds.Union(Seeds(suite, options)).ToList();

    private static List<SuiteVariant> Variants(SuiteDefinition suite, SuiteOptions options)
    {
        if (options.Only.Count == 0) return suite.Variants.ToList();
        foreach (var label in options.Only.Where(l => suite.Variants.All(v => v.Label != l)))
            throw new HarnessInputException($"--only {label}: {suite.File} has no such variant (it has {string.Join(", ", suite.Variants.Select(v => v.Label))})");
        return suite.Variants.Where(v => options.Only.Contains(v.Label)).ToList();
    }

    private static List<int> Seeds(SuiteDefinition suite, SuiteOptions options)
    {
        if (options.Seeds.Count > 0) return options.Seeds.Distinct().ToList();
        if (options.SeedCount is { } n)
            return n <= suite.Seeds.Count
                ? suite.Seeds.Take(n).ToList()
                : throw new HarnessInputException($"--seeds {n}: {suite.File} lists only {suite.Seeds.Count} seeds");
        return suite.Seeds.ToList();
    }
}
