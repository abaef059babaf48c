namespace Harness.Benchmarks;

/// <summary>
/// One task of an image benchmark: its id (a curriculum domain id), the original labels it contains, in output
/// order, and the view of the images it trains on (a pixel permutation, a rotation angle, or neither).
/// </summary>
internal sealed record BenchmarkTask(string Id, IReadOnlyList<int> Labels, long[]? Permutation = null, double Angle = 0);
