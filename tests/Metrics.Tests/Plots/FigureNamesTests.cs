using Harness.Metrics.Plots;

namespace Harness.Metrics.Tests.Plots;

public sealed class FigureNamesTests
{
    [Theory]
    [InlineData("naive", "naive")]
    [InlineData("replay,buffer=200", "replay_buffer=200")]
    [InlineData("lr=1e-3.seed_2", "lr=1e-3.seed_2")]
    [InlineData("../etc/passwd", ".._etc_passwd")]
    [InlineData("数学 a😀", "___a_")] // one '_' per character, not per UTF-16 unit
    [InlineData("", "_")]
    public void Sanitize_Label_KeepsSafeCharactersOnly(string label, string expected)
    {
        // Given a label / When sanitized / Then
        Assert.Equal(expected, FigureNames.Sanitize(label));
    }

    [Fact]
    public void Take_LabelsThatCollide_GetNumberedSuffixes()
    {
        // Given
        var names = new FigureNames();

        // When labels that sanitize alike, also up to case, are taken
        string[] taken =
        [
            names.Take("heatmap_", "a,b"), names.Take("heatmap_", "a b"), names.Take("heatmap_", "A_B"),
            names.Take("heatmap_", "a_b-2"), names.Take("forgetting_", "a,b"),
        ];

        // Then each is unique; a label that already looks suffixed does not take an earlier suffix
        Assert.Equal(["heatmap_a_b", "heatmap_a_b-2", "heatmap_A_B-3", "heatmap_a_b-2-2", "forgetting_a_b"], taken);
    }

    [Fact]
    public void Sanitize_VeryLongLabel_IsShortened()
    {
        // Given / When
        string name = FigureNames.Sanitize(new string('x', 300));

        // Then
        Assert.Equal(100, name.Length);
    }
}
