using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Harness.Config;

/// <summary>
/// Reads one YAML document into <see cref="YamlTreeNode"/>s straight from the parser's events. Owning this step
/// (instead of YamlDotNet's object model) gives duplicate-key errors with positions and lets us refuse aliases,
/// which config files never need and which make "billion laughs" documents possible.
/// </summary>
internal static partial class YamlTree
{
    /// <summary>Parses <paramref name="text"/>; errors are <see cref="HarnessInputException"/> naming <paramref name="file"/>.</summary>
    public static YamlTreeNode Parse(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                throw new HarnessInputException($"{file}:1:1: the file is empty");
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, "");
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var second = parser.Current!.Start;
                throw new HarnessInputException($"{file}:{second.Line}:{second.Column}: a second YAML document (---); a config is one document");
            }
            return root;
        }
        catch (YamlException e) when (e.Message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(text) is { } tab)
        {
            // The scanner reports a tab in the indentation at the start of the enclosing block; the tab itself is what
            // the user has to find.
            throw new HarnessInputException($"{file}:{tab.Line}:{tab.Column}: YAML syntax error {Near(text, tab.Line)}: a tab in the indentation (YAML indents with spaces only)");
        }
        catch (YamlException e)
        {
            throw new HarnessInputException($"{file}:{e.Start.Line}:{e.Start.Column}: YAML syntax error {Near(text, (int)e.Start.Line)}: {OneLine(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // Some malformed documents (an unclosed flow mapping before the next key) surface from the parser as a
            // plain InvalidOperationException about object state; report the last position the parser reached.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new HarnessInputException($"{file}:{at.Line}:{at.Column}: YAML syntax error {Near(text, (int)at.Line)}: an unclosed {{ or [, or a missing comma");
        }
    }

    private static YamlTreeNode ReadNode(IParser parser, string file, string path)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return new YamlTreeScalar(scalar.Start, scalar.Value, scalar.Style == ScalarStyle.Plain);
        if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<YamlTreeScalar, YamlTreeNode>>();
            var seen = new Dictionary<string, Mark>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (ReadNode(parser, file, path) is not YamlTreeScalar key)
                    throw new HarnessInputException($"{file}:{mapStart.Start.Line}:{mapStart.Start.Column}: {Describe(path)}: mapping keys must be plain names");
                var keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
                if (seen.TryGetValue(key.Value, out var first))
                    throw new HarnessInputException(
                        $"{file}:{key.Start.Line}:{key.Start.Column}: {keyPath}: duplicate key (first at line {first.Line})");
                seen[key.Value] = key.Start;
                entries.Add(new(key, ReadNode(parser, file, keyPath)));
            }
            return new YamlTreeMapping(mapStart.Start, entries);
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<YamlTreeNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, file, $"{path}[{items.Count}]"));
            return new YamlTreeSequence(seqStart.Start, items);
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
            throw new HarnessInputException($"{file}:{alias.Start.Line}:{alias.Start.Column}: {Describe(path)}: YAML aliases (*{alias.Value}) are not supported in configs");
        var unexpected = parser.Current!;
        throw new HarnessInputException($"{file}:{unexpected.Start.Line}:{unexpected.Start.Column}: unexpected YAML {unexpected.GetType().Name}");
    }

    /// <summary>
    /// The key on <paramref name="line"/> (1-based) or the nearest line above that has one, read from the raw text:
    /// the parser's own position lags behind its scanner, so it cannot say which key it was in.
    /// </summary>
    private static string Near(string text, int line)
    {
        var lines = text.Split('\n');
        for (int i = Math.Min(line, lines.Length) - 1; i >= 0; i--)
            if (LineKey(lines[i]) is { } key) return $"near key '{key}'";
        return "before the first key";
    }

    /// <summary>The key a YAML line starts with ("key:", "- key:", "- {key:"), or null.</summary>
    public static string? LineKey(string line) => KeyAtLineStart().Match(line) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The first line whose indentation holds a tab, and the tab's column (both 1-based).</summary>
    private static (int Line, int Column)? FirstTabIndent(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int indent = lines[i].Length - lines[i].TrimStart(' ', '\t', '-').Length;
            int tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return (i + 1, tab + 1);
        }
        return null;
    }

    [GeneratedRegex(@"^[ \t]*(?:-[ \t]*)?\{?[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*:")]
    private static partial Regex KeyAtLineStart();

    private static string Describe(string path) => path.Length == 0 ? "(top level)" : path;

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
