namespace Harness.Benchmarks;

/// <summary>A sample's target output and its head [HeadStart, HeadEnd) (empty: every output).</summary>
internal sealed record ImageTarget(int Output, int HeadStart, int HeadEnd);
