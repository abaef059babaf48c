using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Harness.Tokenizers;

/// <summary>
/// tiktoken byte-level BPE (Microsoft.ML.Tokenizers) with its 100k vocabulary compacted to the tokens that occur in
/// the run's data plus every single-byte token, so the embedding stays small and any text stays encodable: a token
/// outside the compact set is spelled out byte by byte. Compact ids: 4 markers, 256 bytes, then the data's tokens.
/// </summary>
internal sealed class CompactBpeTokenizer : ITextTokenizer
{
    private readonly string _encoding;
    private readonly TiktokenTokenizer _tiktoken;
    private readonly IReadOnlyDictionary<int, byte[]> _rankBytes;
    private readonly int[] _compactToRank;
    private readonly Dictionary<int, int> _rankToCompact;
    private readonly int[] _byteToRank = new int[256];

    private CompactBpeTokenizer(string encoding, IEnumerable<int> dataRanks)
    {
        _encoding = encoding;
        _tiktoken = Create(encoding);
        _rankBytes = TiktokenRanks.Load(encoding);
        foreach (var (rank, bytes) in _rankBytes)
            if (bytes.Length == 1) _byteToRank[bytes[0]] = rank;
        var ranks = new List<int>(_byteToRank);
        var singles = new HashSet<int>(_byteToRank);
        ranks.AddRange(dataRanks.Where(r => !singles.Contains(r)).Distinct().Order());
        _compactToRank = ranks.ToArray();
        _rankToCompact = new Dictionary<int, int>();
        for (int i = 0; i < _compactToRank.Length; i++) _rankToCompact[_compactToRank[i]] = i + ITextTokenizer.SpecialCount;
    }

    /// <summary>A tokenizer whose compact vocabulary covers every token of <paramref name="texts"/>.</summary>
    public static CompactBpeTokenizer Build(string encoding, IEnumerable<string> texts)
    {
        var tiktoken = Create(encoding);
        var seen = new HashSet<int>();
        foreach (var text in texts) seen.UnionWith(tiktoken.EncodeToIds(text));
        return new CompactBpeTokenizer(encoding, seen);
    }

    /// <summary>Rebuilds a saved tokenizer from <see cref="ToJson"/>'s output.</summary>
    public static CompactBpeTokenizer FromJson(JsonElement json) =>
        new(json.GetProperty("encoding").GetString()!,
            json.GetProperty("ranks").EnumerateArray().Select(e => e.GetInt32()));

    // gpt2 is a model name to Microsoft.ML.Tokenizers (its encoding is r50k-like), cl100k_base an encoding name.
    private static TiktokenTokenizer Create(string encoding) =>
        encoding == "gpt2" ? TiktokenTokenizer.CreateForModel("gpt2") : TiktokenTokenizer.CreateForEncoding(encoding);

    /// <inheritdoc />
    public int VocabSize => _compactToRank.Length + ITextTokenizer.SpecialCount;

    /// <inheritdoc />
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (int rank in _tiktoken.EncodeToIds(text))
        {
            if (_rankToCompact.TryGetValue(rank, out int id)) ids.Add(id);
            else foreach (byte b in _rankBytes[rank]) ids.Add(_rankToCompact[_byteToRank[b]]);
        }
        return ids.ToArray();
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
            if (id >= ITextTokenizer.SpecialCount && id < VocabSize)
                bytes.AddRange(_rankBytes[_compactToRank[id - ITextTokenizer.SpecialCount]]);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <inheritdoc />
    public string ToJson() => JsonSerializer.Serialize(new
    {
        type = "bpe",
        encoding = _encoding,
        vocab_size = VocabSize,
        markers = new[] { "<pad>", "<bos>", "<sep>", "<eos>" },
        ranks = _compactToRank,
    });
}
