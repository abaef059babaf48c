namespace Harness.Data;

/// <summary>
/// A curriculum domain after splitting: what is trained on, the recall test set (drawn from the training pairs:
/// does learned knowledge survive?) and an optional held-out set (never trained on).
/// </summary>
public sealed record DomainData(string Id, IReadOnlyList<QaPair> Train, IReadOnlyList<QaPair> Test, IReadOnlyList<QaPair> Heldout);
