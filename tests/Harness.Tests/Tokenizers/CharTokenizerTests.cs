using Harness.Config;
using Harness.Tokenizers;

namespace Harness.Tests.Tokenizers;

public sealed class CharTokenizerTests
{
    private static readonly string[] Texts = ["hello world", "12+34", "床前明月光，疑是地上霜。", "𝄞"];

    [Theory]
    [InlineData("hello world")]
    [InlineData("world 43+21")]
    [InlineData("明月光，地上霜")]
    [InlineData("𝄞𝄞")]
    public void EncodeDecode_KnownCharacters_RoundTrips(string text)
    {
        // Given a tokenizer over the texts
        var tokenizer = CharTokenizer.Build(Texts);

        // When
        var ids = tokenizer.Encode(text);

        // Then one id per character (a surrogate pair is one character), all real, decoding to the text
        Assert.Equal(text.EnumerateRunes().Count(), ids.Length);
        Assert.All(ids, id => Assert.InRange(id, ITextTokenizer.SpecialCount + 1, tokenizer.VocabSize - 1));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_UnseenCharacter_MapsToUnknownId()
    {
        // Given a tokenizer that never saw 'Z' or '☃'
        var tokenizer = CharTokenizer.Build(Texts);

        // When
        var ids = tokenizer.Encode("hZ☃");

        // Then both map to the unknown id (the one right after the markers), which decodes to U+FFFD
        const int unknown = ITextTokenizer.SpecialCount;
        Assert.Equal([tokenizer.Encode("h")[0], unknown, unknown], ids);
        Assert.Equal("h\uFFFD\uFFFD", tokenizer.Decode(ids));
    }

    [Fact]
    public void VocabSize_DistinctCharacters_CountsMarkersUnknownAndEachCharacterOnce()
    {
        // Given "aab" and "ba": two distinct characters
        var tokenizer = CharTokenizer.Build(["aab", "ba"]);

        // Then 4 markers + unknown + 2
        Assert.Equal(ITextTokenizer.SpecialCount + 1 + 2, tokenizer.VocabSize);
    }

    [Fact]
    public void FromJson_SavedTokenizer_EncodesIdentically()
    {
        // Given a char tokenizer built through the factory
        var tokenizer = TokenizerFactory.Build(new TokenizerConfig { Type = "char" }, Texts);

        // When it is rebuilt from its JSON
        var reloaded = TokenizerFactory.FromJson(tokenizer.ToJson());

        // Then
        Assert.IsType<CharTokenizer>(reloaded);
        Assert.Equal(tokenizer.VocabSize, reloaded.VocabSize);
        foreach (var text in Texts.Append("hZ☃"))
            Assert.Equal(tokenizer.Encode(text), reloaded.Encode(text));
    }
}
