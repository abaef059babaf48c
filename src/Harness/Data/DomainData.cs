namespace Harness.Data;

/// <summary>
/// A curriculum domain after splitting: what is trained on, the recall test set (drawn from the training pairs:
/// does learned knowledge survive?) and an optional held-out set (never trained on). <see cref="Pool"/> is every
/// distinct pair the source offers: the vocabulary is built over it, so it does not change with the seed's split.
/// </summary>
internal sealed record DomainData(
    string Id,
    IReadOnlyList<QaPair> Train,
    IReadOnlyList<QaPair> Test,
    IReadOnlyList<QaPair> Heldout,
    IReadOnlyList<QaPair> Pool);
