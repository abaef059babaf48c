namespace Harness.Config;

/// <summary>A strategy plugin's settings; the YAML <c>type:</c> key picks the concrete record.</summary>
internal abstract record StrategyConfig
{
    /// <summary>The YAML name of this strategy.</summary>
    public string Type => GetType().GetCustomAttributes(typeof(ConfigVariantAttribute), false)
        .Cast<ConfigVariantAttribute>().Single().Name;
}
