using System.Text;
using System.Text.Json;
using Harness.Config;

namespace Harness.Data;

/// <summary>Reads <c>{"prompt": ..., "answer": ...}</c> lines; any malformed line is an error naming file:line.</summary>
internal static class JsonlPairs
{
    /// <summary>
    /// All pairs of <paramref name="path"/>, in file order; blank lines are skipped. Errors about one line name
    /// path:line and end with <paramref name="origin"/> (the config key that named the file); errors about the whole
    /// file (unreadable, no pairs) are made by <paramref name="fileError"/> from a reason without the path (by default
    /// "path: reason").
    /// </summary>
    public static IReadOnlyList<QaPair> Read(string path, string? origin = null, Func<string, HarnessInputException>? fileError = null)
    {
        fileError ??= message => new HarnessInputException($"{path}: {message}");
        var suffix = origin is null ? "" : $" ({origin})";
        var lines = StrictUtf8.ReadLines(path, suffix, fileError);
        var pairs = new List<QaPair>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            pairs.Add(ParseLine(lines[i], $"{path}:{i + 1}", suffix));
        }
        if (pairs.Count == 0) throw fileError("no pairs (the file is empty)");
        return pairs;
    }

    /// <summary>The 1-based line of the first pair of <paramref name="path"/> with prompt <paramref name="prompt"/>.</summary>
    public static int LineOf(string path, string prompt)
    {
        var lines = StrictUtf8.ReadLines(path, "", reason => new HarnessInputException($"{path}: {reason}"));
        for (int i = 0; i < lines.Length; i++)
            if (!string.IsNullOrWhiteSpace(lines[i]) && ParseLine(lines[i], "", "").Prompt == prompt) return i + 1;
        throw new InvalidOperationException($"{path} has no prompt '{prompt}'");
    }

    private static QaPair ParseLine(string line, string where, string suffix)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new HarnessInputException($"{where}: malformed JSON: {e.Message.Split('.')[0]}{suffix}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new HarnessInputException($"{where}: expected an object {{\"prompt\": ..., \"answer\": ...}}{suffix}");
            var seen = new HashSet<string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name is not ("prompt" or "answer"))
                    throw new HarnessInputException($"{where}: unknown key '{property.Name}' (expected prompt, answer){suffix}");
                if (!seen.Add(property.Name)) throw new HarnessInputException($"{where}: duplicate key '{property.Name}'{suffix}");
            }
            return new QaPair(Field(doc.RootElement, "prompt", where, suffix), Field(doc.RootElement, "answer", where, suffix));
        }
    }

    private static string Field(JsonElement obj, string key, string where, string suffix)
    {
        if (!obj.TryGetProperty(key, out var value)) throw new HarnessInputException($"{where}: missing key '{key}'{suffix}");
        if (value.ValueKind != JsonValueKind.String) throw new HarnessInputException($"{where}: {key}: expected a string{suffix}");
        string s;
        try
        {
            s = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new HarnessInputException($"{where}: {key}: not valid text (an unpaired surrogate escape){suffix}");
        }
        return string.IsNullOrWhiteSpace(s) ? throw new HarnessInputException($"{where}: {key}: must not be empty{suffix}") : s;
    }
}
