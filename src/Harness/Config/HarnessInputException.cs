namespace Harness.Config;

/// <summary>
/// Bad input from the user (config, data, command line): the CLI prints the message on one line and exits 2.
/// The message already names the place (file:line:col and key path where known).
/// </summary>
internal sealed class HarnessInputException(string message) : Exception(message);
