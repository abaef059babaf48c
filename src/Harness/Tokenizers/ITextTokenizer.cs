namespace Harness.Tokenizers;

/// <summary>Text ↔ compact token ids, with four reserved markers at ids 0-3.</summary>
internal interface ITextTokenizer
{
    /// <summary>Padding (never predicted, never attended to by real positions).</summary>
    const int Pad = 0;
    /// <summary>Start of a sequence.</summary>
    const int Bos = 1;
    /// <summary>Ends the question; the answer follows.</summary>
    const int Sep = 2;
    /// <summary>Ends the answer.</summary>
    const int Eos = 3;
    /// <summary>Ids reserved for the markers above.</summary>
    const int SpecialCount = 4;

    /// <summary>Number of ids, markers included: the model's embedding size.</summary>
    int VocabSize { get; }

    /// <summary>Ids of <paramref name="text"/>, markers never included.</summary>
    int[] Encode(string text);

    /// <summary>Text of <paramref name="ids"/>; markers are skipped.</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>Everything needed to rebuild this tokenizer, as JSON (saved with every run).</summary>
    string ToJson();
}
