using System.ComponentModel;
using System.Diagnostics;
using Harness.Config;

namespace Harness.Slurm;

/// <summary>
/// The cluster's own client commands, found on PATH (SLURM_CONF and the rest of the environment pass through):
/// <c>sbatch</c> to submit, <c>squeue</c> to see what is still queued or running.
/// </summary>
internal static class SlurmClient
{
    /// <summary>
    /// Runs <c>sbatch --parsable OPTIONS SCRIPT</c> and returns the job id it prints. A missing sbatch is bad input (this
    /// is not a Slurm login node); a refusal is an error carrying sbatch's own message.
    /// </summary>
    public static string Submit(IReadOnlyList<string> options, string script)
    {
        var (exit, stdout, stderr) = Run("sbatch", ["--parsable", .. options, script]);
        var id = stdout.Trim().Split(';')[0]; // "jobid" or "jobid;cluster"
        if (exit != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new InvalidOperationException($"sbatch {script} failed (exit {exit}): {(stderr + stdout).Trim()}");
        return id;
    }

    /// <summary>
    /// Which of <paramref name="jobIds"/> (or of their array tasks) are still pending, running or otherwise not ended.
    /// A job squeue no longer knows has ended; any other squeue failure is an error, since "ended" cannot be proven.
    /// </summary>
    public static IReadOnlyList<string> StillActive(IEnumerable<string> jobIds)
    {
        var active = new List<string>();
        foreach (var id in jobIds)
        {
            // squeue's default state filter lists only jobs that have not ended.
            var (exit, stdout, stderr) = Run("squeue", ["-h", "-j", id, "-o", "%i"]);
            if (exit == 0 && stdout.Trim().Length > 0) active.Add(id);
            else if (exit != 0 && !stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"squeue -j {id} failed (exit {exit}): {(stderr + stdout).Trim()}");
        }
        return active;
    }

    /// <summary>Fails as bad input, before anything is written, when <paramref name="program"/> is not on PATH.</summary>
    public static void RequireOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, program))))
            throw NotOnPath(program);
    }

    private static (int Exit, string Stdout, string Stderr) Run(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw NotOnPath(program);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }

    private static HarnessInputException NotOnPath(string program) =>
        new($"slurm: {program} is not on PATH: run this on a Slurm login node (--dry-run shows the scripts anywhere)");
}
