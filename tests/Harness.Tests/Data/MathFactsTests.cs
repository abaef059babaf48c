using System.Globalization;
using System.Text.RegularExpressions;
using Harness.Data;

namespace Harness.Tests.Data;

public sealed class MathFactsTests
{
    [Fact]
    public void All_EveryFact_IsArithmeticallyRight()
    {
        // Given the whole math universe
        var facts = MathFacts.All();

        // When each prompt is parsed and evaluated independently
        var wrong = facts.Where(f =>
        {
            var m = Regex.Match(f.Prompt, @"^(\d+)([+\-*])(\d+)$");
            Assert.True(m.Success, $"unexpected prompt '{f.Prompt}'");
            long a = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            long b = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            long expected = m.Groups[2].Value switch { "+" => a + b, "-" => a - b, _ => a * b };
            return f.Answer != expected.ToString(CultureInfo.InvariantCulture);
        }).ToList();

        // Then none is wrong
        Assert.Empty(wrong);
    }

    [Fact]
    public void All_Universe_HasDocumentedSizeAndNoNegativeOrDuplicateFacts()
    {
        // Given 100×100 additions, the 5050 subtractions with a ≥ b, and 20×20 multiplications
        var facts = MathFacts.All();

        // Then
        Assert.Equal(100 * 100 + 5050 + 20 * 20, facts.Count);
        Assert.Equal(facts.Count, facts.Select(f => f.Prompt).Distinct().Count());
        Assert.DoesNotContain(facts, f => f.Answer.StartsWith('-'));
    }
}
