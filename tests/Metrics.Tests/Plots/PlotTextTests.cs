using Harness.Metrics.Plots;

namespace Harness.Metrics.Tests.Plots;

public sealed class PlotTextTests
{
    [Theory]
    [InlineData("math", "math")]
    [InlineData("history_qa-2 (v1)", "history_qa-2 (v1)")]
    [InlineData("数学", "??")]
    [InlineData("poésie", "po?sie")]
    [InlineData("a😀b", "a?b")] // one '?' per character, not per UTF-16 unit
    [InlineData("tab\there", "tab?here")]
    public void Ascii_Label_KeepsPrintableAsciiAndReplacesTheRest(string label, string expected)
    {
        // Given a label / When reduced / Then
        Assert.Equal(expected, PlotText.Ascii(label));
    }
}
