using System.Text;

namespace Harness.Metrics.Plots;

/// <summary>Keeps plot text readable on machines without CJK or other non-Latin fonts.</summary>
internal static class PlotText
{
    /// <summary>
    /// <paramref name="text"/> with every character outside printable ASCII replaced by '?', one per code point;
    /// without a matching font such characters would render as empty boxes, or not at all.
    /// </summary>
    public static string Ascii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            ascii.Append(rune.Value is >= 0x20 and <= 0x7E ? (char)rune.Value : '?');
        }

        return ascii.ToString();
    }
}
