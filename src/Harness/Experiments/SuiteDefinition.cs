using Harness.Config;
using Harness.Metrics.Reports;

namespace Harness.Experiments;

/// <summary>
/// A loaded suite file: its name (the results folder), seeds and variants, in file order, and the results table it
/// declares (null for none).
/// </summary>
internal sealed record SuiteDefinition(string Name, string File, IReadOnlyList<int> Seeds, IReadOnlyList<SuiteVariant> Variants,
    ResultTableLayout? Table = null)
{
    /// <summary>
    /// The config of <paramref name="variant"/> for <paramref name="seed"/>: the config file with the variant's overrides
    /// applied, strictly checked like any config, named after the variant.
    /// </summary>
    public static LoadedConfig LoadConfig(SuiteVariant variant, int seed, bool requireData = true)
    {
        var tree = YamlTree.Parse(ConfigLoader.ReadText(variant.ConfigPath), variant.ConfigPath);
        tree = ConfigOverrides.Apply(tree, variant.Overrides, variant.ConfigPath);
        var loaded = ConfigLoader.Bind(tree, variant.ConfigPath, requireData);
        return loaded with { Config = loaded.Config with { Name = variant.Label, Seed = seed } };
    }
}
