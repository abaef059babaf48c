namespace Harness.Data;

/// <summary>
/// The built-in math domain: arithmetic facts "a+b" → "c", "a-b" → "c" (a ≥ b) and "a*b" → "c", generated
/// deterministically (operands 0-99 for + and -, 1-20 for *). The harness shuffles them from the seed.
/// </summary>
public static class MathFacts
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
}
