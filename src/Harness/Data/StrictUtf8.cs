using System.Text;

namespace Harness.Data;

/// <summary>
/// Strict UTF-8 decoding of input files that can say where a bad byte is: .NET's decoder only says that one exists,
/// and a user with a Latin-1 or UTF-16 file needs the line to look at.
/// </summary>
internal static class StrictUtf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first byte that is not valid UTF-8: its 1-based line and column (in bytes) and value; null if none.</summary>
    public static (int Line, int Column, byte Value)? FirstInvalid(byte[] bytes)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < bytes.Length;)
        {
            int length = SequenceLength(bytes, i);
            if (length == 0) return (line, i - lineStart + 1, bytes[i]);
            if (bytes[i] == '\n') { line++; lineStart = i + 1; }
            i += length;
        }
        return null;
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> (a leading byte-order mark dropped); invalid bytes throw an input error
    /// "<paramref name="path"/>:LINE:COL: not valid UTF-8 (byte 0xNN)" followed by <paramref name="suffix"/>.
    /// </summary>
    public static string Decode(byte[] bytes, string path, string suffix = "")
    {
        if (FirstInvalid(bytes) is { } bad)
            throw new Config.HarnessInputException($"{path}:{bad.Line}:{bad.Column}: not valid UTF-8 (byte 0x{bad.Value:X2}; save the file as UTF-8){suffix}");
        var text = Strict.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>
    /// The lines of <paramref name="path"/> (split at <c>\n</c>, a trailing <c>\r</c> dropped), decoded as by
    /// <see cref="Decode"/>; a file that cannot be read throws <paramref name="unreadable"/>("cannot read: REASON").
    /// </summary>
    public static string[] ReadLines(string path, string suffix, Func<string, Config.HarnessInputException> unreadable)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw unreadable($"cannot read: {e.Message}");
        }
        return Decode(bytes, path, suffix).Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
    }

    /// <summary>Length of the valid UTF-8 sequence at <paramref name="i"/>, or 0 if it is not one (RFC 3629).</summary>
    private static int SequenceLength(byte[] b, int i)
    {
        byte first = b[i];
        if (first < 0x80) return 1;
        var (length, min, max) = first switch
        {
            >= 0xC2 and <= 0xDF => (2, 0x80, 0xBF),
            0xE0 => (3, 0xA0, 0xBF), // no overlong forms
            0xED => (3, 0x80, 0x9F), // no surrogates
            >= 0xE1 and <= 0xEF => (3, 0x80, 0xBF),
            0xF0 => (4, 0x90, 0xBF),
            >= 0xF1 and <= 0xF3 => (4, 0x80, 0xBF),
            0xF4 => (4, 0x80, 0x8F), // nothing above U+10FFFF
            _ => (0, 0, 0),
        };
        if (length == 0 || i + length > b.Length) return 0;
        if (b[i + 1] < min || b[i + 1] > max) return 0;
        for (int k = 2; k < length; k++)
            if (b[i + k] < 0x80 || b[i + k] > 0xBF) return 0;
        return length;
    }
}
