using System.Text;
using System.Text.Json;

namespace Harness.Tokenizers;

/// <summary>
/// One id per Unicode character seen in the run's data (markers first, then an unknown-character id, then the
/// characters in code-point order). Simple and exact for short answers; unseen characters map to the unknown id.
/// </summary>
internal sealed class CharTokenizer : ITextTokenizer
{
    private const int Unknown = ITextTokenizer.SpecialCount;
    private readonly string[] _chars;
    private readonly Dictionary<string, int> _ids = new();

    private CharTokenizer(IEnumerable<string> chars)
    {
        _chars = chars.Distinct().Order(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < _chars.Length; i++) _ids[_chars[i]] = i + Unknown + 1;
    }

    /// <summary>A tokenizer over every character of <paramref name="texts"/>.</summary>
    public static CharTokenizer Build(IEnumerable<string> texts) =>
        new(texts.SelectMany(t => t.EnumerateRunes()).Select(r => r.ToString()));

    /// <summary>Rebuilds a saved tokenizer from <see cref="ToJson"/>'s output.</summary>
    public static CharTokenizer FromJson(JsonElement json) =>
        new(json.GetProperty("chars").EnumerateArray().Select(e => e.GetString()!));

    /// <inheritdoc />
    public int VocabSize => _chars.Length + Unknown + 1;

    /// <inheritdoc />
    public int[] Encode(string text) =>
        text.EnumerateRunes().Select(r => _ids.GetValueOrDefault(r.ToString(), Unknown)).ToArray();

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            if (id == Unknown) sb.Append('\uFFFD');
            else if (id > Unknown && id < VocabSize) sb.Append(_chars[id - Unknown - 1]);
        }
        return sb.ToString();
    }

    /// <inheritdoc />
    public string ToJson() => JsonSerializer.Serialize(new
    {
        type = "char",
        vocab_size = VocabSize,
        markers = new[] { "<pad>", "<bos>", "<sep>", "<eos>", "<unk>" },
        chars = _chars,
    }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
