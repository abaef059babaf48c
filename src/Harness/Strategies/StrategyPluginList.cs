namespace Harness.Strategies;

/// <summary>What the trainer and the answer command do with a run's plugins as a whole: route, activate, release.</summary>
internal static class StrategyPluginList
{
    /// <summary>The routing plugin's route for each question, or null when no plugin routes (one model answers all).</summary>
    public static int[]? Route(this IReadOnlyList<IStrategyPlugin> plugins, IReadOnlyList<string> questions, int knownDomain) =>
        plugins.Select(p => p.Route(questions, knownDomain)).FirstOrDefault(r => r is not null);

    /// <summary>Prepares the model for questions routed to <paramref name="route"/> (every plugin, in order).</summary>
    public static void Activate(this IReadOnlyList<IStrategyPlugin> plugins, int route)
    {
        foreach (var plugin in plugins) plugin.Activate(route);
    }

    /// <summary>Releases what plugins hold outside the model (teachers, Fisher tensors, adapters).</summary>
    public static void DisposeAll(this IReadOnlyList<IStrategyPlugin> plugins)
    {
        foreach (var plugin in plugins) (plugin as IDisposable)?.Dispose();
    }
}
