using YamlDotNet.Core;

namespace Harness.Experiments;

/// <summary>
/// One labelled variant of a suite: a config file plus the overrides that make it this variant. Its runs go to
/// <c>&lt;suite folder&gt;/&lt;Label&gt;/s&lt;seed&gt;/</c> and carry <see cref="Label"/> as their name.
/// <see cref="BaseLabel"/> is the label before grid expansion (the row of a results table) and <see cref="Grid"/> the
/// grid value this variant took for each grid key (as written in the suite file; empty without a grid).
/// </summary>
internal sealed record SuiteVariant(string Label, string ConfigPath, IReadOnlyList<ConfigOverride> Overrides, Mark At,
    string BaseLabel, IReadOnlyDictionary<string, string> Grid);
