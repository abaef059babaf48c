using Harness.Models;
using Harness.Training;

namespace Harness.Strategies;

/// <summary>The stage's model as the text model, for plugins that adapt its projections (adapters, isolation).</summary>
internal static class TextModel
{
    /// <summary>The GPT of <paramref name="context"/>; the config loader refuses these plugins for other models.</summary>
    public static GptModel Of(StageContext context) => Of(context.Model);

    /// <summary><paramref name="model"/> as the GPT; the config loader refuses these plugins for other models.</summary>
    public static GptModel Of(ContinualModel model) =>
        model as GptModel ?? throw new InvalidOperationException("adapters need the gpt model (config checks refuse them for mlp)");
}
