namespace Harness.Training;

/// <summary>Training met a NaN or infinite loss with <c>training.on_nonfinite: stop</c>; the message names stage, step and domain.</summary>
internal sealed class NonFiniteLossException(string message) : Exception(message);
