namespace Harness.Data;

/// <summary>
/// The built-in math domain: arithmetic facts "a+b" → "c", "a-b" → "c" (a ≥ b) and "a*b" → "c", generated
/// deterministically (operands 0-99 for + and -, 1-20 for *). The harness shuffles them from the seed.
/// </summary>
internal static class MathFacts
{
    /// <summary>Every fact of the universe, in a fixed order.</summary>
    public static IReadOnlyList<QaPair> All()
    {
        var facts = new List<QaPair>();
        for (int a = 0; a < 100; a++)
        for (int b = 0; b < 100; b++)
        {
            facts.Add(new QaPair($"{a}+{b}", (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (a >= b) facts.Add(new QaPair($"{a}-{b}", (a - b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        for (int a = 1; a <= 20; a++)
        for (int b = 1; b <= 20; b++)
            facts.Add(new QaPair($"{a}*{b}", (a * b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return facts;
    }

    /// <summary>
    /// The unordered operands of a fact ("3+5", "5+3", "5-3" and "3*5" all give "3,5"): facts sharing them must not be
    /// split between training and held-out, or a held-out "5+3" would be answered by a trained "3+5".
    /// </summary>
    public static string OperandKey(QaPair fact)
    {
        var operands = fact.Prompt.Split('+', '-', '*').Select(int.Parse).Order().ToArray();
        return string.Join(',', operands);
    }
}
