using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Harness.Training;

namespace Harness.Tests;

/// <summary>Gives the test host the numerics of a Harness process before any test loads libtorch (see ReproducibleMkl).</summary>
internal static class TestHostSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "MKL reads MKL_CBWR once, when libtorch starts it, so it must be set before any test")]
    internal static void Initialize() => ReproducibleMkl.Enable();
}
