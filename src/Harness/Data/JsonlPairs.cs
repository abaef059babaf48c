using System.Text;
using System.Text.Json;
using Harness.Config;

namespace Harness.Data;

/// <summary>Reads <c>{"prompt": ..., "answer": ...}</c> lines; any malformed line is an error naming file:line.</summary>
internal static class JsonlPairs
{
    /// <summary>All pairs of <paramref name="path"/>, in file order; blank lines are skipped.</summary>
    public static IReadOnlyList<QaPair> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new HarnessInputException($"{path}: not valid UTF-8");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HarnessInputException($"{path}: cannot read: {e.Message}");
        }
        var pairs = new List<QaPair>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            pairs.Add(ParseLine(lines[i], $"{path}:{i + 1}"));
        }
        if (pairs.Count == 0) throw new HarnessInputException($"{path}: no pairs (the file is empty)");
        return pairs;
    }

    private static QaPair ParseLine(string line, string where)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new HarnessInputException($"{where}: malformed JSON: {e.Message.Split('.')[0]}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new HarnessInputException($"{where}: expected an object {{\"prompt\": ..., \"answer\": ...}}");
            var seen = new HashSet<string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name is not ("prompt" or "answer"))
                    throw new HarnessInputException($"{where}: unknown key '{property.Name}' (expected prompt, answer)");
                if (!seen.Add(property.Name)) throw new HarnessInputException($"{where}: duplicate key '{property.Name}'");
            }
            return new QaPair(Field(doc.RootElement, "prompt", where), Field(doc.RootElement, "answer", where));
        }
    }

    private static string Field(JsonElement obj, string key, string where)
    {
        if (!obj.TryGetProperty(key, out var value)) throw new HarnessInputException($"{where}: missing key '{key}'");
        if (value.ValueKind != JsonValueKind.String) throw new HarnessInputException($"{where}: {key}: expected a string");
        string s;
        try
        {
            s = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new HarnessInputException($"{where}: {key}: not valid text (an unpaired surrogate escape)");
        }
        return string.IsNullOrWhiteSpace(s) ? throw new HarnessInputException($"{where}: {key}: must not be empty") : s;
    }
}
