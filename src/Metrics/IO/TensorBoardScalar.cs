namespace Harness.Metrics.IO;

/// <summary>One <c>Summary.Value</c> with a <c>simple_value</c>: a point of the scalar series <paramref name="Tag"/>.</summary>
/// <param name="Tag">The series name, e.g. <c>train/loss</c>.</param>
/// <param name="Value">The value, a float as TensorBoard stores it.</param>
public sealed record TensorBoardScalar(string Tag, float Value);
