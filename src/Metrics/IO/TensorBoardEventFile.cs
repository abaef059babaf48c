namespace Harness.Metrics.IO;

/// <summary>
/// The contents of a TensorBoard event file as <see cref="TensorBoardEventReader"/> read it: every whole record, and
/// where an incomplete trailing record (a writer stopped mid-write) starts, if there is one.
/// </summary>
public sealed class TensorBoardEventFile(string path, IReadOnlyList<TensorBoardEvent> events, long? truncatedTailOffset)
{
    /// <summary>The file as the caller named it.</summary>
    public string Path { get; } = path;

    /// <summary>The whole records, in file order.</summary>
    public IReadOnlyList<TensorBoardEvent> Events { get; } = events;

    /// <summary>
    /// Byte offset of an incomplete last record (cut short by a crash, or still being written), or null when the
    /// file ends on a record boundary.
    /// </summary>
    public long? TruncatedTailOffset { get; } = truncatedTailOffset;

    /// <summary>Every scalar tag, in order of first appearance.</summary>
    public IReadOnlyList<string> Tags =>
        Events.SelectMany(e => e.Scalars).Select(s => s.Tag).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The points of the series <paramref name="tag"/>, in file order.</summary>
    public IReadOnlyList<(long Step, float Value)> Scalars(string tag) =>
        Events.SelectMany(e => e.Scalars.Where(s => s.Tag == tag).Select(s => (e.Step, s.Value))).ToList();
}
