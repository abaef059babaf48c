namespace Harness.Tests.Cli;

/// <summary>The bench's command line: bad options are bad input, said in one line, before anything runs.</summary>
[Collection(TorchCollection.Name)]
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("bench: --repeats 3: expected an integer >= 5", "bench", "--repeats", "3")]
    [InlineData("bench: unexpected argument fast", "bench", "fast")]
    [InlineData("bench: unknown option --gpu", "bench", "--gpu")]
    public void BadArguments_ExitTwoWithOneLine(string expectedStart, params string[] args)
    {
        var result = CliResult.Run(args);
        result.InputErrorLine(expectedStart);
    }
}
