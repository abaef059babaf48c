using System.Diagnostics;

namespace Harness.Tests;

/// <summary>Runs a program to its end (bash, sbatch, squeue ...) and returns its exit code with stdout and stderr together.</summary>
internal static class ExternalCommand
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>, <paramref name="environment"/> added to this process's.</summary>
    public static (int Exit, string Output) Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
