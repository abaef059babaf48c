namespace Harness.Benchmarks;

/// <summary>
/// One image of a benchmark task: row <paramref name="Row"/> of the shared pixel tensor seen through the task's
/// <paramref name="View"/> (a permutation or rotation, or none), its <paramref name="Target"/> output, and the outputs
/// [<paramref name="HeadStart"/>, <paramref name="HeadEnd"/>) the model may choose from (the task's head in
/// task-incremental learning). Without a head (<c>HeadStart == HeadEnd == 0</c>) every output may be chosen.
/// </summary>
internal sealed record ImageExample(ImageView View, int Row, int Target, int HeadStart = 0, int HeadEnd = 0)
{
    /// <summary>The sample is restricted to its task's head (task-incremental learning).</summary>
    public bool HasHead => HeadEnd > HeadStart;
}
