using System.Text;

namespace Harness.Metrics.Plots;

/// <summary>
/// Hands out file names for a report's figures: a fixed prefix plus the label reduced to [A-Za-z0-9_.=-] (anything
/// else becomes '_'), shortened, and made unique within the report (case-insensitively, for file systems that fold
/// case) with a -2, -3, ... suffix.
/// </summary>
internal sealed class FigureNames
{
    // Well under the usual 255-byte file-name limit, leaving room for prefix, suffix and extension.
    private const int MaxLabelLength = 100;

    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><paramref name="label"/> with every character outside [A-Za-z0-9_.=-] replaced by '_'.</summary>
    public static string Sanitize(string label)
    {
        var safe = new StringBuilder(Math.Min(label.Length, MaxLabelLength));
        foreach (Rune rune in label.EnumerateRunes())
        {
            if (safe.Length == MaxLabelLength) break;
            int c = rune.Value;
            bool allowed = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or '=' or '-';
            safe.Append(allowed ? (char)c : '_');
        }

        return safe.Length == 0 ? "_" : safe.ToString();
    }

    /// <summary>A base name (no extension) not handed out before: <paramref name="prefix"/> + sanitized label.</summary>
    public string Take(string prefix, string? label = null)
    {
        string stem = label is null ? prefix : prefix + Sanitize(label);
        string name = stem;
        for (int i = 2; !_taken.Add(name); i++)
        {
            name = $"{stem}-{i}";
        }

        return name;
    }
}
