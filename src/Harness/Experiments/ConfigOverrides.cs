using System.Globalization;
using Harness.Config;

namespace Harness.Experiments;

/// <summary>
/// Applies suite overrides to a config's YAML tree before it is bound, so an overridden config goes through exactly
/// the checks of a config file. A key path is dot-separated mapping keys; a list is entered by index
/// (<c>strategies[0]</c> or <c>strategies.0</c>) or by the <c>type</c> or <c>id</c> of one of its items
/// (<c>strategies.replay.buffer_size</c>, <c>curriculum.math.epochs</c>). The last key may be new (an optional key the
/// config left at its default); every key before it must exist.
/// </summary>
internal static class ConfigOverrides
{
    /// <summary>The tree with every override applied in order.</summary>
    public static YamlTreeNode Apply(YamlTreeNode tree, IEnumerable<ConfigOverride> overrides, string configFile) =>
        overrides.Aggregate(tree, (t, o) => Set(t, Segments(o), 0, o, configFile));

    private static List<string> Segments(ConfigOverride o)
    {
        var segments = new List<string>();
        foreach (var part in o.KeyPath.Split('.'))
        {
            var rest = part;
            int bracket = rest.IndexOf('[');
            if (bracket > 0)
            {
                segments.Add(rest[..bracket]);
                rest = rest[bracket..];
                while (rest.StartsWith('[') && rest.IndexOf(']') is var close and > 1)
                {
                    segments.Add(rest[1..close]);
                    rest = rest[(close + 1)..];
                }
                if (rest.Length > 0) throw Error(o, "", $"malformed key path '{o.KeyPath}' (expected key, key[index] or key.type)");
                continue;
            }
            if (rest.Length == 0) throw Error(o, "", $"malformed key path '{o.KeyPath}' (an empty key)");
            segments.Add(rest);
        }
        return segments;
    }

    private static YamlTreeNode Set(YamlTreeNode node, List<string> segments, int index, ConfigOverride o, string configFile)
    {
        if (index == segments.Count) return o.Value;
        var segment = segments[index];
        var at = string.Join('.', segments.Take(index + 1));
        switch (node)
        {
            case YamlTreeMapping map:
            {
                var entries = map.Entries.ToList();
                int found = entries.FindIndex(e => e.Key.Value == segment);
                if (found >= 0)
                {
                    entries[found] = new(entries[found].Key, Set(entries[found].Value, segments, index + 1, o, configFile));
                    return map with { Entries = entries };
                }
                if (index + 1 < segments.Count)
                    throw Error(o, at, $"{configFile} has no key '{at}' (only the last key of a path may be new)");
                entries.Add(new(new YamlTreeScalar(o.At, segment, Plain: true) { File = o.File }, o.Value));
                return map with { Entries = entries };
            }
            case YamlTreeSequence seq:
            {
                int item = int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                    ? i < seq.Items.Count ? i : throw Error(o, at, $"{configFile}: index {i} is past the end of a list of {seq.Items.Count}")
                    : FindByName(seq, segment, o, at, configFile);
                var items = seq.Items.ToList();
                items[item] = Set(items[item], segments, index + 1, o, configFile);
                return seq with { Items = items };
            }
            default:
                throw Error(o, at, $"{configFile}: '{string.Join('.', segments.Take(index))}' is a single value, it has no key '{segment}'");
        }
    }

    /// <summary>The one list item whose <c>type</c> (a strategy) or <c>id</c> (a domain) is <paramref name="name"/>.</summary>
    private static int FindByName(YamlTreeSequence seq, string name, ConfigOverride o, string at, string configFile)
    {
        var matches = seq.Items.Select((item, i) => (item, i))
            .Where(x => x.item is YamlTreeMapping m && m.Entries.Any(e =>
                e.Key.Value is "type" or "id" && e.Value is YamlTreeScalar s && s.Value == name))
            .Select(x => x.i).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw Error(o, at, $"{configFile} has no list item with type or id '{name}'"),
            _ => throw Error(o, at, $"{configFile} has {matches.Count} list items named '{name}'; use an index"),
        };
    }

    private static HarnessInputException Error(ConfigOverride o, string at, string message) =>
        new($"{o.File}:{o.At.Line}:{o.At.Column}: {o.Section}.{o.KeyPath}: {message}");
}
