namespace Harness.Tests.Experiments;

/// <summary>
/// The suite of the suite tests: 2 variants (naive, and the tiny config's replay) x 2 seeds (0, 1) of
/// <see cref="TinyConfig"/>'s tiny.yaml, which must sit beside it.
/// </summary>
internal static class TinySuite
{
    /// <summary>The suite file's YAML; <paramref name="overrides"/> (applied to both variants) may be null for none.</summary>
    public static string Yaml(string name, string? overrides = "{training.epochs: 2}") => $$"""
        name: {{name}}
        seeds: [0, 1]
        {{(overrides is null ? "" : $"overrides: {overrides}")}}
        variants:
          - config: tiny.yaml
            label: naive
            overrides: {strategies: [{type: naive}]}
          - config: tiny.yaml
            label: replay

        """;
}
