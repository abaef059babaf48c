using System.Text.Json;
using Harness.Tokenizers;

namespace Harness.Tests.Tokenizers;

public sealed class CompactBpeTokenizerTests
{
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "12+34 = 46; 1969, 3.14159",
        "床前明月光，疑是地上霜。",
    ];

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("12+34 = 46; 1969, 3.14159")]
    [InlineData("床前明月光，疑是地上霜。")]
    public void EncodeDecode_TextSeenAtBuild_RoundTrips(string text)
    {
        // Given a tokenizer built over English, digits and Chinese
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", Texts);

        // When
        var ids = tokenizer.Encode(text);

        // Then the ids are real (no markers, inside the vocabulary) and decode to the text
        Assert.All(ids, id => Assert.InRange(id, ITextTokenizer.SpecialCount, tokenizer.VocabSize - 1));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Build_SmallData_VocabularyIsFarBelowTiktokens()
    {
        // Given the three texts
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", Texts);

        // Then the vocabulary is 4 markers + 256 bytes + the few dozen tokens the texts use, not cl100k's 100k
        Assert.InRange(tokenizer.VocabSize, ITextTokenizer.SpecialCount + 256 + 1, 400);
    }

    [Fact]
    public void Build_AnyData_KeepsAll256SingleByteTokens()
    {
        // Given a tokenizer built over nothing but "a"
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", ["a"]);

        // When the saved compact-id → rank table is read back against cl100k's rank bytes
        var ranks = JsonDocument.Parse(tokenizer.ToJson()).RootElement.GetProperty("ranks").EnumerateArray()
            .Select(e => e.GetInt32()).ToList();
        var rankBytes = TiktokenRanks.Load("cl100k_base");
        var singleBytes = ranks.Select(r => rankBytes[r]).Where(b => b.Length == 1).Select(b => b[0]).ToHashSet();

        // Then every byte value has its own compact id
        Assert.Equal(256, singleBytes.Count);
        Assert.Equal(tokenizer.VocabSize, ranks.Count + ITextTokenizer.SpecialCount);
    }

    [Theory]
    [InlineData("Zebra ☃ 𝄞 é")]
    [InlineData("\u0001\u007f tab\tnew\nline")]
    [InlineData("Ünïcödé — ½ € 🙂 日本語")]
    public void EncodeDecode_TextUnseenAtBuild_RoundTripsThroughByteFallback(string text)
    {
        // Given a tokenizer that has never seen these characters
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", Texts);

        // When
        var ids = tokenizer.Encode(text);

        // Then it is spelled out in known ids and comes back exactly
        Assert.All(ids, id => Assert.InRange(id, ITextTokenizer.SpecialCount, tokenizer.VocabSize - 1));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Decode_Markers_AreSkipped()
    {
        // Given an encoded word wrapped in BOS/SEP/EOS and padding
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", Texts);
        var ids = new[] { ITextTokenizer.Bos }.Concat(tokenizer.Encode("fox")).Concat([ITextTokenizer.Sep, ITextTokenizer.Eos, ITextTokenizer.Pad]);

        // Then only the word decodes
        Assert.Equal("fox", tokenizer.Decode(ids));
    }

    [Fact]
    public void FromJson_SavedTokenizer_EncodesIdentically()
    {
        // Given a tokenizer and its JSON
        var tokenizer = CompactBpeTokenizer.Build("cl100k_base", Texts);

        // When it is rebuilt from the JSON
        var reloaded = TokenizerFactory.FromJson(tokenizer.ToJson());

        // Then it has the same vocabulary and gives the same ids, for seen and unseen text alike
        Assert.IsType<CompactBpeTokenizer>(reloaded);
        Assert.Equal(tokenizer.VocabSize, reloaded.VocabSize);
        foreach (var text in Texts.Append("Zebra ☃ 𝄞 é"))
            Assert.Equal(tokenizer.Encode(text), reloaded.Encode(text));
    }

    [Fact]
    public void Build_Gpt2Encoding_RoundTripsAndReloads()
    {
        // Given the other encoding the config allows
        var tokenizer = CompactBpeTokenizer.Build("gpt2", Texts);

        // When
        var reloaded = TokenizerFactory.FromJson(tokenizer.ToJson());

        // Then
        foreach (var text in Texts.Append("Zebra ☃ 𝄞 é"))
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
            Assert.Equal(tokenizer.Encode(text), reloaded.Encode(text));
        }
    }
}
