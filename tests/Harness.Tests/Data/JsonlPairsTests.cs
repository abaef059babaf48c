using Harness.Config;
using Harness.Data;

namespace Harness.Tests.Data;

public sealed class JsonlPairsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string text) => _dir.Write("pairs.jsonl", text);

    [Fact]
    public void Read_ValidFile_ReturnsPairsInOrderSkippingBlankLines()
    {
        // Given three pairs with a blank and a whitespace-only line between them
        var path = Write("{\"prompt\": \"France\", \"answer\": \"Paris\"}\n\n" +
                         "{\"answer\": \"Rome\", \"prompt\": \"Italy\"}\n   \n" +
                         "{\"prompt\": \"床前明月光\", \"answer\": \"疑是地上霜\"}\n");

        // When
        var pairs = JsonlPairs.Read(path);

        // Then
        Assert.Equal(
            [new QaPair("France", "Paris"), new QaPair("Italy", "Rome"), new QaPair("床前明月光", "疑是地上霜")],
            pairs);
    }

    [Fact]
    public void Read_MalformedJsonLine_ThrowsNamingFileAndLine()
    {
        // Given a broken object on line 3 (line 2 is blank, so line numbers are file lines, not pair indices)
        var path = Write("{\"prompt\": \"a\", \"answer\": \"b\"}\n\n{\"prompt\": \"c\", \"answer\": \n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.StartsWith($"{path}:3: malformed JSON", error.Message);
    }

    [Fact]
    public void Read_DuplicateKey_ThrowsNamingLineAndKey()
    {
        // Given line 1 with answer twice (the JSON parser alone would keep one silently)
        var path = Write("{\"prompt\": \"a\", \"answer\": \"b\", \"answer\": \"c\"}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.Equal($"{path}:1: duplicate key 'answer'", error.Message);
    }

    [Fact]
    public void Read_UnpairedSurrogateEscape_ThrowsNamingLineAndKey()
    {
        // Given a prompt that is half of a UTF-16 surrogate pair, valid JSON but not valid text
        var path = Write("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"\\ud800\", \"answer\": \"b\"}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.StartsWith($"{path}:2: prompt: not valid text", error.Message);
    }

    [Fact]
    public void Read_MissingAnswer_ThrowsNamingKey()
    {
        // Given a line without answer
        var path = Write("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"c\"}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.Equal($"{path}:2: missing key 'answer'", error.Message);
    }

    [Fact]
    public void Read_NumericAnswer_ThrowsExpectedString()
    {
        // Given an answer written as a JSON number (a common slip for years)
        var path = Write("{\"prompt\": \"Moon landing\", \"answer\": 1969}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.Equal($"{path}:1: answer: expected a string", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Read_EmptyPrompt_ThrowsMustNotBeEmpty(string prompt)
    {
        // Given a blank prompt
        var path = Write($"{{\"prompt\": \"{prompt}\", \"answer\": \"b\"}}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.Equal($"{path}:1: prompt: must not be empty", error.Message);
    }

    [Fact]
    public void Read_UnknownKey_ThrowsNamingKey()
    {
        // Given a third key
        var path = Write("{\"prompt\": \"a\", \"answer\": \"b\", \"source\": \"wiki\"}\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.StartsWith($"{path}:1: unknown key 'source'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void Read_EmptyFile_ThrowsNoPairs(string text)
    {
        // Given a file with no pairs
        var path = Write(text);

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.StartsWith($"{path}: no pairs", error.Message);
    }

    [Fact]
    public void Read_ArrayInsteadOfObject_ThrowsExpectedObject()
    {
        // Given a line that is JSON but not an object
        var path = Write("[\"a\", \"b\"]\n");

        // When
        var error = Assert.Throws<HarnessInputException>(() => JsonlPairs.Read(path));

        // Then
        Assert.StartsWith($"{path}:1: expected an object", error.Message);
    }
}
