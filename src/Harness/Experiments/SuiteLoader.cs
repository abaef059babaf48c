using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Config;
using YamlDotNet.Core;

namespace Harness.Experiments;

/// <summary>
/// Reads a suite file (experiments/*.yaml):
/// <code>
/// name: nightly                  # results/&lt;name&gt;/ (default: the file's name)
/// seeds: [0, 1, 2]               # or a count: 3 means seeds 0, 1, 2
/// overrides:                     # optional, applied to every variant's config
///   training.epochs: 20
/// variants:
///   - config: ../configs/replay.yaml   # relative to this file
///     label: replay              # optional (default: the config file's name)
///     overrides: {strategies.replay.selection: fifo}
///     grid:                      # optional: one variant per combination, labelled replay-buffer_size=50, ...
///       strategies.replay.buffer_size: [50, 200]
/// </code>
/// Every error names the suite file, line and key. Each variant's config is loaded once here, so a typo in the last
/// variant fails before the first run starts.
/// </summary>
internal static partial class SuiteLoader
{
    /// <summary>Loads and checks <paramref name="path"/>, including every variant's config (with overrides).</summary>
    public static SuiteDefinition Load(string path)
    {
        var root = WithFile(YamlTree.Parse(ConfigLoader.ReadText(path, "suite"), path), path);
        if (root is not YamlTreeMapping map) throw Error(path, root.Start, "(top level)", "a suite file is a mapping (name:, seeds:, variants:)");
        var keys = map.Entries.ToDictionary(e => e.Key.Value, e => e);
        foreach (var key in keys.Keys.Where(k => k is not ("name" or "seeds" or "overrides" or "variants")))
            throw Error(path, keys[key].Key.Start, key, "unknown key; expected one of: name, overrides, seeds, variants");

        string name = keys.TryGetValue("name", out var nameEntry)
            ? ScalarText(path, nameEntry.Value, "name")
            : Path.GetFileNameWithoutExtension(path);
        if (!SafeName().IsMatch(name)) throw Error(path, map.Start, "name", $"'{name}' must be letters, digits, '-', '_' or '.', not starting with '.' (it names a folder)");

        var seeds = keys.TryGetValue("seeds", out var seedsEntry) ? Seeds(path, seedsEntry.Value) : [0];
        var shared = keys.TryGetValue("overrides", out var o) ? Overrides(path, o.Value, "overrides") : [];
        if (!keys.TryGetValue("variants", out var variantsEntry)) throw Error(path, map.Start, "variants", "required key is missing");
        if (variantsEntry.Value is not YamlTreeSequence { Items.Count: > 0 } list)
            throw Error(path, variantsEntry.Value.Start, "variants", "expected a non-empty list of variants (- config: ...)");

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var variants = new List<SuiteVariant>();
        for (int i = 0; i < list.Items.Count; i++)
            variants.AddRange(Variants(path, list.Items[i], $"variants[{i}]", baseDirectory, shared));
        foreach (var twice in variants.GroupBy(v => v.Label).Where(g => g.Count() > 1))
            throw Error(path, twice.Skip(1).First().At, "label", $"two variants are labelled '{twice.Key}'; give each a distinct label");

        foreach (var variant in variants) SuiteDefinition.LoadConfig(variant, seeds[0]);
        return new SuiteDefinition(name, path, seeds, variants);
    }

    private static IEnumerable<SuiteVariant> Variants(string path, YamlTreeNode node, string at, string baseDirectory,
        IReadOnlyList<ConfigOverride> shared)
    {
        if (node is not YamlTreeMapping map) throw Error(path, node.Start, at, "expected a mapping (config:, label:, overrides:, grid:)");
        var keys = map.Entries.ToDictionary(e => e.Key.Value, e => e);
        foreach (var key in keys.Keys.Where(k => k is not ("config" or "label" or "overrides" or "grid")))
            throw Error(path, keys[key].Key.Start, $"{at}.{key}", "unknown key; expected one of: config, grid, label, overrides");
        if (!keys.TryGetValue("config", out var configEntry)) throw Error(path, map.Start, $"{at}.config", "required key is missing");
        var configText = ScalarText(path, configEntry.Value, $"{at}.config");
        var configPath = ConfigLoader.ResolvePath(baseDirectory, configText);
        if (!File.Exists(configPath))
            throw Error(path, configEntry.Value.Start, $"{at}.config", $"config file {configPath} not found (paths are relative to the suite file)");

        var label = keys.TryGetValue("label", out var labelEntry)
            ? ScalarText(path, labelEntry.Value, $"{at}.label")
            : Path.GetFileNameWithoutExtension(configPath);
        var own = keys.TryGetValue("overrides", out var o) ? Overrides(path, o.Value, $"{at}.overrides") : [];
        var overrides = shared.Concat(own).ToList();

        if (!keys.TryGetValue("grid", out var gridEntry))
        {
            yield return Checked(path, new SuiteVariant(label, configPath, overrides, map.Start), $"{at}.label");
            yield break;
        }
        if (gridEntry.Value is not YamlTreeMapping { Entries.Count: > 0 } grid)
            throw Error(path, gridEntry.Value.Start, $"{at}.grid", "expected a mapping of key paths to lists of values");
        var axes = grid.Entries.Select(e =>
        {
            if (e.Value is not YamlTreeSequence { Items.Count: > 0 } values || values.Items.Any(v => v is not YamlTreeScalar))
                throw Error(path, e.Value.Start, $"{at}.grid.{e.Key.Value}", "expected a non-empty list of single values");
            return (e.Key, Values: values.Items.Cast<YamlTreeScalar>().ToList());
        }).ToList();
        foreach (var combination in Product(axes.Select(a => a.Values.Count).ToList()))
        {
            var chosen = axes.Select((a, k) => (a.Key, Value: a.Values[combination[k]])).ToList();
            var gridLabel = label + string.Concat(chosen.Select(c => $"-{c.Key.Value.Split('.')[^1]}={c.Value.Value}"));
            var gridOverrides = chosen.Select(c => new ConfigOverride(c.Key.Value, c.Value, path, c.Key.Start, "grid"));
            yield return Checked(path, new SuiteVariant(gridLabel, configPath, overrides.Concat(gridOverrides).ToList(), map.Start), $"{at}.grid");
        }
    }

    private static SuiteVariant Checked(string path, SuiteVariant variant, string at) =>
        SafeName().IsMatch(variant.Label) && variant.Label.Length <= 120
            ? variant
            : throw Error(path, variant.At, at, $"variant label '{variant.Label}' must be at most 120 letters, digits, '-', '_', '.' or '=', not starting with '.' (it names a folder)");

    /// <summary>Every index combination of axes with the given sizes, the last axis varying fastest.</summary>
    private static IEnumerable<int[]> Product(IReadOnlyList<int> sizes)
    {
        var index = new int[sizes.Count];
        while (true)
        {
            yield return (int[])index.Clone();
            int k = sizes.Count - 1;
            while (k >= 0 && ++index[k] == sizes[k]) index[k--] = 0;
            if (k < 0) yield break;
        }
    }

    private static List<ConfigOverride> Overrides(string path, YamlTreeNode node, string at)
    {
        if (node is not YamlTreeMapping map) throw Error(path, node.Start, at, "expected a mapping of key paths to values (training.epochs: 20)");
        return map.Entries.Select(e => new ConfigOverride(e.Key.Value, e.Value, path, e.Key.Start)).ToList();
    }

    private static List<int> Seeds(string path, YamlTreeNode node)
    {
        if (node is YamlTreeScalar count)
        {
            return int.TryParse(count.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
                ? Enumerable.Range(0, n).ToList()
                : throw Error(path, node.Start, "seeds", $"expected a list of seeds or a count from 1 to 1000, got '{count.Value}'");
        }
        if (node is not YamlTreeSequence { Items.Count: > 0 } list) throw Error(path, node.Start, "seeds", "expected a non-empty list of seeds or a count");
        var seeds = new List<int>();
        foreach (var item in list.Items)
        {
            if (item is not YamlTreeScalar s || !int.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                throw Error(path, item.Start, "seeds", "each seed is a non-negative integer");
            if (seeds.Contains(seed)) throw Error(path, item.Start, "seeds", $"seed {seed} is listed twice");
            seeds.Add(seed);
        }
        return seeds;
    }

    private static string ScalarText(string path, YamlTreeNode node, string at) =>
        node is YamlTreeScalar { Value.Length: > 0 } s ? s.Value : throw Error(path, node.Start, at, "expected a non-empty single value");

    /// <summary>The tree with every node marked as coming from <paramref name="file"/>.</summary>
    private static YamlTreeNode WithFile(YamlTreeNode node, string file) => node switch
    {
        YamlTreeScalar s => s with { File = file },
        YamlTreeSequence q => q with { File = file, Items = q.Items.Select(i => WithFile(i, file)).ToList() },
        YamlTreeMapping m => m with
        {
            File = file,
            Entries = m.Entries.Select(e => KeyValuePair.Create((YamlTreeScalar)WithFile(e.Key, file), WithFile(e.Value, file))).ToList(),
        },
        _ => node,
    };

    private static HarnessInputException Error(string path, Mark at, string key, string message) =>
        new($"{path}:{at.Line}:{at.Column}: {key}: {message}");

    // No leading dot: "." and ".." would name the parent folder, and hidden folders are skipped by `compare`.
    [GeneratedRegex("^[A-Za-z0-9_=-][A-Za-z0-9_.=-]*$")]
    private static partial Regex SafeName();
}
