namespace Harness.Tests.Training;

/// <summary>
/// A Harness process puts MKL in its reproducibility mode itself (so two processes of one config compute the same bits),
/// and keeps a mode the user chose. MKL_VERBOSE makes MKL print each call with its mode and whether it adjusts its threads (<c>CNR:AUTO Dyn:0</c>).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ReproducibleMklTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null, null, "CNR:AUTO Dyn:0")]
    [InlineData("COMPATIBLE", "TRUE", "CNR:COMPATIBLE Dyn:1")]
    public void HarnessProcess_RunsMklInReproducibilityMode_UnlessTheUserChoseOne(string? userMode, string? userDynamic, string expected)
    {
        // Given a tiny run in a process whose environment has no MKL_CBWR and MKL_DYNAMIC, or the user's
        var config = TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(pretrain: "{corpus: builtin, steps: 2, batch_size: 8, cache: false}",
            training: "{batch_size: 8, epochs: 1, lr: 0.003, log_every: 1}"));
        var environment = new Dictionary<string, string?> { ["MKL_CBWR"] = userMode, ["MKL_DYNAMIC"] = userDynamic, ["MKL_VERBOSE"] = "1" };
        // When it runs
        using var process = new HarnessProcess(_dir.Path, environment, config, "--out", _dir.File("run"));
        Assert.Equal(0, process.WaitForExit());
        // Then every MKL call ran in that mode
        var calls = process.Output.Split('\n').Where(line => line.StartsWith("MKL_VERBOSE SGEMM", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Contains(expected, call));
    }
}
