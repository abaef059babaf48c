namespace Harness.Experiments;

/// <summary>What a `suite` command line asked for besides the suite file.</summary>
internal sealed record SuiteOptions
{
    /// <summary>The suite's folder; default results/&lt;suite name&gt;.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Run only these variant labels (--only, repeatable); empty = all.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Run only the first N of the suite's seeds (--seeds N).</summary>
    public int? SeedCount { get; init; }

    /// <summary>Run exactly these seeds (--seed S, repeatable); empty = the suite's.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];

    /// <summary>Device for every run (--device); null = each config's.</summary>
    public string? Device { get; init; }

    /// <summary>Where pretrained bases are cached (--cache-dir); default results/.cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Run only this shard of the pairs (--shard K/N) and leave the report to a --report-only merge.</summary>
    public SuiteShard? Shard { get; init; }

    /// <summary>Run nothing: merge the finished runs already in the suite's folder into its report (--report-only).</summary>
    public bool ReportOnly { get; init; }
}
