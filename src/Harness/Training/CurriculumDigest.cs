using System.Security.Cryptography;

namespace Harness.Training;

/// <summary>
/// A fingerprint of the data a run trains and is scored on: SHA-256 over every domain id, every training sample (token
/// ids and answer start, or image row, target and head) and every evaluation item. A checkpoint keeps it, and <c>--resume</c> refuses data that has
/// changed since (an edited data file, a pulled change to the built-in data): the checkpoint names replay samples by
/// position and the weights know the old tokens, so resuming over other data would silently train another experiment.
/// </summary>
internal static class CurriculumDigest
{
    /// <summary>The digest of <paramref name="curriculum"/> and <paramref name="evaluation"/> (one text per scored item), as lowercase hex.</summary>
    public static string Of(CurriculumSamples curriculum, IEnumerable<string> evaluation)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(long value) => sha.AppendData(BitConverter.GetBytes(value));
        foreach (var id in curriculum.DomainIds) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(id + "\n"));
        foreach (var domain in curriculum.Train)
        {
            Add(domain.Count);
            foreach (var sample in domain)
            {
                Add(sample.Domain);
                Add(sample.AnswerStart);
                Add(sample.Tokens.Length);
                foreach (int token in sample.Tokens) Add(token);
                if (sample.Image is { } image)
                {
                    Add(image.Row);
                    Add(image.Target);
                    Add(image.HeadStart);
                    Add(image.HeadEnd);
                }
            }
        }
        foreach (var item in evaluation) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(item + "\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
