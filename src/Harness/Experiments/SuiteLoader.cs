using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Metrics.Reports;
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
/// table:                         # optional: a results table in a paper's shape (table.md, table.csv, report.html)
///   caption: Split MNIST, final average accuracy (%)   # optional
///   metric: acc                  # a scalar metric of the runs (default acc)
///   scale: 100                   # multiplies our means and stds (default 1)
///   decimals: 2                  # default 2
///   columns: benchmark.scenario  # a grid key every variant has: its values are the columns, in first-seen order
///   reference:                   # optional published numbers, shown in a row under ours
///     source: Hsu et al. 2018, Table 2
///     values:
///       adam: {task: [93.46, 2.01], domain: 55.16}   # [mean, std] or a mean alone
/// </code>
/// The table's rows are the variants' labels before grid expansion, in file order. Several variant entries may share
/// a label when their grids cover different columns (a method tuned per scenario); two variants filling one cell are
/// an error.
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
        foreach (var key in keys.Keys.Where(k => k is not ("name" or "seeds" or "overrides" or "variants" or "table")))
            throw Error(path, keys[key].Key.Start, key, "unknown key; expected one of: name, overrides, seeds, table, variants");

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
        var entries = new List<(SuiteVariant Variant, string At)>();
        for (int i = 0; i < list.Items.Count; i++)
            entries.AddRange(Variants(path, list.Items[i], $"variants[{i}]", baseDirectory, shared).Select(v => (v, $"variants[{i}]")));
        var variants = entries.Select(e => e.Variant).ToList();
        // Before the label check: two entries filling one cell usually also share a label, and the cell says more.
        var table = keys.TryGetValue("table", out var tableEntry) ? Table(path, tableEntry.Value, entries) : null;
        foreach (var twice in variants.GroupBy(v => v.Label).Where(g => g.Count() > 1))
            throw Error(path, twice.Skip(1).First().At, "label", $"two variants are labelled '{twice.Key}'; give each a distinct label");

        foreach (var variant in variants) SuiteDefinition.LoadConfig(variant, seeds[0]);
        return new SuiteDefinition(name, path, seeds, variants, table);
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
            yield return Checked(path, new SuiteVariant(label, configPath, overrides, map.Start, label, new Dictionary<string, string>()), $"{at}.label");
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
            var choices = chosen.ToDictionary(c => c.Key.Value, c => c.Value.Value);
            yield return Checked(path, new SuiteVariant(gridLabel, configPath, overrides.Concat(gridOverrides).ToList(), map.Start, label, choices), $"{at}.grid");
        }
    }

    /// <summary>
    /// The suite's <c>table:</c>, a results table in a paper's shape whose rows are the variants' base labels (file
    /// order) and whose columns are the values of one grid key (first-seen order). Checked here, not after hours of
    /// runs: every variant has the column key, no two variants fill one cell, the metric is one runs report, and every
    /// published value names an existing row and column.
    /// </summary>
    private static ResultTableLayout Table(string path, YamlTreeNode node, IReadOnlyList<(SuiteVariant Variant, string At)> entries)
    {
        if (node is not YamlTreeMapping map) throw Error(path, node.Start, "table", "expected a mapping (columns:, metric:, scale:, reference:, ...)");
        var keys = map.Entries.ToDictionary(e => e.Key.Value, e => e);
        foreach (var key in keys.Keys.Where(k => k is not ("caption" or "metric" or "scale" or "decimals" or "columns" or "reference")))
            throw Error(path, keys[key].Key.Start, $"table.{key}", "unknown key; expected one of: caption, columns, decimals, metric, reference, scale");
        if (!keys.TryGetValue("columns", out var columnsEntry)) throw Error(path, map.Start, "table.columns", "required key is missing (a grid key whose values are the columns)");
        var columnKey = ScalarText(path, columnsEntry.Value, "table.columns");
        string? caption = keys.TryGetValue("caption", out var captionEntry) ? ScalarText(path, captionEntry.Value, "table.caption") : null;
        string metric = "acc";
        if (keys.TryGetValue("metric", out var metricEntry))
        {
            metric = ScalarText(path, metricEntry.Value, "table.metric");
            // These are the only scalars a run's metrics.json can hold.
            if (!RunRecord.ScalarOrder.Contains(metric) && !(metric.StartsWith("forgetting.", StringComparison.Ordinal) && metric.Length > "forgetting.".Length))
                throw Error(path, metricEntry.Value.Start, "table.metric", $"unknown metric '{metric}'; expected one of: {string.Join(", ", RunRecord.ScalarOrder)}, forgetting.<domain>");
        }
        double scale = 1;
        if (keys.TryGetValue("scale", out var scaleEntry))
        {
            scale = Number(path, scaleEntry.Value, "table.scale");
            if (scale <= 0) throw Error(path, scaleEntry.Value.Start, "table.scale", "expected a positive number");
        }
        int decimals = 2;
        if (keys.TryGetValue("decimals", out var decimalsEntry)
            && !(decimalsEntry.Value is YamlTreeScalar d && int.TryParse(d.Value, NumberStyles.None, CultureInfo.InvariantCulture, out decimals) && decimals <= 10))
            throw Error(path, decimalsEntry.Value.Start, "table.decimals", "expected an integer from 0 to 10");

        var filled = new Dictionary<TableCellKey, SuiteVariant>();
        foreach (var (variant, at) in entries)
        {
            if (!variant.Grid.TryGetValue(columnKey, out var column))
                throw Error(path, variant.At, at, $"variant '{variant.Label}' has no grid key '{columnKey}', which table.columns names; every variant fills one table cell, so give it a grid over {columnKey}");
            var cell = new TableCellKey(variant.BaseLabel, column);
            if (filled.TryGetValue(cell, out var first))
            {
                var value = variant.Overrides.Last(o => o.Section == "grid" && o.KeyPath == columnKey).Value;
                throw Error(path, value.Start, $"{at}.grid.{columnKey}",
                    $"table cell ({cell.Row}, {cell.Column}) is already filled by variant '{first.Label}' (line {first.At.Line}); variant '{variant.Label}' would fill it again");
            }
            filled[cell] = variant;
        }
        var layout = new ResultTableLayout
        {
            Caption = caption,
            Metric = metric,
            Scale = scale,
            Decimals = decimals,
            Rows = filled.Keys.Select(k => k.Row).Distinct().ToList(),
            Columns = filled.Keys.Select(k => k.Column).Distinct().ToList(),
            Variants = filled.ToDictionary(f => f.Value.Label, f => f.Key),
        };
        return keys.TryGetValue("reference", out var reference) ? Reference(path, reference.Value, layout) : layout;
    }

    private static ResultTableLayout Reference(string path, YamlTreeNode node, ResultTableLayout layout)
    {
        if (node is not YamlTreeMapping map) throw Error(path, node.Start, "table.reference", "expected a mapping (source:, values:)");
        var keys = map.Entries.ToDictionary(e => e.Key.Value, e => e);
        foreach (var key in keys.Keys.Where(k => k is not ("source" or "values")))
            throw Error(path, keys[key].Key.Start, $"table.reference.{key}", "unknown key; expected one of: source, values");
        if (keys.TryGetValue("source", out var source)) layout = layout with { ReferenceSource = ScalarText(path, source.Value, "table.reference.source") };
        if (!keys.TryGetValue("values", out var valuesEntry)) return layout;
        if (valuesEntry.Value is not YamlTreeMapping values)
            throw Error(path, valuesEntry.Value.Start, "table.reference.values", "expected a mapping of rows to {column: [mean, std]}");

        var published = new Dictionary<TableCellKey, PublishedValue>();
        foreach (var (rowKey, rowNode) in values.Entries)
        {
            var at = $"table.reference.values.{rowKey.Value}";
            if (!layout.Rows.Contains(rowKey.Value))
                throw Error(path, rowKey.Start, at, $"no table row '{rowKey.Value}' (rows: {string.Join(", ", layout.Rows)})");
            if (rowNode is not YamlTreeMapping cells) throw Error(path, rowNode.Start, at, "expected a mapping of columns to [mean, std] or a mean");
            foreach (var (columnKey, valueNode) in cells.Entries)
            {
                var cellAt = $"{at}.{columnKey.Value}";
                if (!layout.Columns.Contains(columnKey.Value))
                    throw Error(path, columnKey.Start, cellAt, $"no table column '{columnKey.Value}' (columns: {string.Join(", ", layout.Columns)})");
                published[new TableCellKey(rowKey.Value, columnKey.Value)] = valueNode switch
                {
                    YamlTreeScalar => new PublishedValue(Number(path, valueNode, cellAt), null),
                    YamlTreeSequence { Items.Count: 1 } one => new PublishedValue(Number(path, one.Items[0], cellAt), null),
                    YamlTreeSequence { Items.Count: 2 } two => new PublishedValue(Number(path, two.Items[0], cellAt), Number(path, two.Items[1], cellAt)),
                    _ => throw Error(path, valueNode.Start, cellAt, "expected [mean, std] or a mean"),
                };
            }
        }
        return layout with { Reference = published };
    }

    private static double Number(string path, YamlTreeNode node, string at) =>
        node is YamlTreeScalar s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw Error(path, node.Start, at, "expected a number");

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
