namespace Harness.Metrics.IO;

/// <summary>One decoded <c>Event</c> record of a TensorBoard event file.</summary>
/// <param name="Offset">Byte offset of the record in the file.</param>
/// <param name="WallTime">Seconds since the Unix epoch when it was written.</param>
/// <param name="Step">The global step (0 when the record has none).</param>
/// <param name="FileVersion">The <c>file_version</c> (the first record's, e.g. "brain.Event:2"), or null.</param>
/// <param name="Scalars">The summary's values that carry a <c>simple_value</c>; empty for other events.</param>
public sealed record TensorBoardEvent(
    long Offset, double WallTime, long Step, string? FileVersion, IReadOnlyList<TensorBoardScalar> Scalars);
