using System.Text.Json.Nodes;
using Harness.Models;
using Harness.Tokenizers;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Adapters;

/// <summary>
/// A learned router: each domain is the centroid of the frozen base model's mean final hidden state over its training
/// prompts; a question goes to the domain of the nearest centroid by cosine similarity (a nearest-class-mean
/// classifier, as in iCaRL's nearest-mean-of-exemplars, Rebuffi et al. 2017). It must read the base with no adapter
/// attached, so the features never change as adapters train.
/// </summary>
internal sealed class CentroidRouter(GptModel model, ITextTokenizer tokenizer, Device device, int batchSize) : IAdapterRouter
{
    private readonly Dictionary<int, float[]> _centroids = [];

    /// <summary>Domains with a centroid.</summary>
    public IReadOnlyDictionary<int, float[]> Centroids => _centroids;

    /// <summary>Sets domain <paramref name="domain"/>'s centroid from its training samples' prompts.</summary>
    public void Fit(int domain, IReadOnlyList<TrainingSample> samples)
    {
        var features = Features(samples.Select(s => s.Tokens[..s.AnswerStart]).ToList());
        int width = features[0].Length;
        var centroid = new float[width];
        foreach (var f in features)
            for (int c = 0; c < width; c++) centroid[c] += f[c] / features.Count;
        _centroids[domain] = centroid;
    }

    /// <summary>Sets a centroid read back from a run directory.</summary>
    public void SetCentroid(int domain, float[] centroid) => _centroids[domain] = centroid;

    /// <inheritdoc />
    public int[] Route(IReadOnlyList<string> questions, int knownDomain, IReadOnlyCollection<int> trained)
    {
        var candidates = _centroids.Keys.Where(trained.Contains).Order().ToList();
        if (candidates.Count == 0) return questions.Select(_ => -1).ToArray();
        var prompts = questions
            .Select(q => new[] { ITextTokenizer.Bos }.Concat(tokenizer.Encode(q).Take(model.Context - 2)).Append(ITextTokenizer.Sep).ToArray())
            .ToList();
        return Features(prompts).Select(f => candidates.MaxBy(d => Cosine(f, _centroids[d]))).ToArray();
    }

    /// <summary>The centroids as JSON (domain index → vector), for the run directory.</summary>
    public JsonObject ToJson(IReadOnlyList<string> domainIds) =>
        new(_centroids.OrderBy(c => c.Key).Select(c =>
            KeyValuePair.Create(domainIds[c.Key], (JsonNode?)new JsonArray(c.Value.Select(v => (JsonNode?)v).ToArray()))));

    /// <summary>Mean final hidden state over each prompt's tokens ([BOS] prompt [SEP]).</summary>
    private List<float[]> Features(IReadOnlyList<int[]> prompts)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var result = new List<float[]>(prompts.Count);
            foreach (var chunk in prompts.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                int width = chunk.Max(p => p.Length);
                var ids = new long[chunk.Length * width];
                var mask = new float[chunk.Length * width];
                for (int r = 0; r < chunk.Length; r++)
                    for (int t = 0; t < chunk[r].Length; t++)
                    {
                        ids[r * width + t] = chunk[r][t];
                        mask[r * width + t] = 1;
                    }
                var input = tensor(ids, [chunk.Length, width], ScalarType.Int64).to(device);
                var weights = tensor(mask, [chunk.Length, width, 1]).to(device); // [B, T, 1]
                var hidden = model.Hidden(input); // [B, T, C]
                var mean = (hidden * weights).sum(1) / weights.sum(1); // [B, C]
                var values = mean.cpu().data<float>().ToArray();
                int channels = (int)mean.shape[1];
                for (int r = 0; r < chunk.Length; r++) result.Add(values[(r * channels)..((r + 1) * channels)]);
            }
            return result;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.Sqrt(Math.Max(na * nb, 1e-30));
    }
}
