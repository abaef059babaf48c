namespace Harness.Tests.Cli;

/// <summary>The kinds of malformed input issue 6 lists; <see cref="BadInputCorpus"/> has cases of each.</summary>
public enum BadInputCategory
{
    YamlSyntax,
    Tab,
    UnknownKey,
    WrongType,
    NonPositiveSize,
    BufferLargerThanData,
    EmptyCurriculum,
    DuplicateDomainId,
    UnknownStrategy,
    UnknownSelectionPolicy,
    InvalidCombination,
    MissingDataFile,
    EmptyDataFile,
    UnreadableDataFile,
    NonUtf8File,
    DataPathIsDirectory,
    MalformedJsonl,
    EmptyPromptOrAnswer,
    AnswerLongerThanContext,
    AliasBomb,
    HugeNumber,
    UnwritableOutput,
    BadResume,
}
