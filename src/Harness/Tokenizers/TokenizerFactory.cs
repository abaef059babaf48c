using System.Text.Json;
using Harness.Config;

namespace Harness.Tokenizers;

/// <summary>Builds the configured tokenizer over a run's texts, or reloads a saved one.</summary>
internal static class TokenizerFactory
{
    /// <summary>A tokenizer covering <paramref name="texts"/> (curriculum and pretraining corpus).</summary>
    public static ITextTokenizer Build(TokenizerConfig config, IEnumerable<string> texts) => config.Type switch
    {
        "char" => CharTokenizer.Build(texts),
        _ => CompactBpeTokenizer.Build(config.Encoding, texts),
    };

    /// <summary>Reloads a tokenizer saved with <see cref="ITextTokenizer.ToJson"/>.</summary>
    public static ITextTokenizer FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("type").GetString() == "char"
            ? CharTokenizer.FromJson(doc.RootElement)
            : CompactBpeTokenizer.FromJson(doc.RootElement);
    }
}
