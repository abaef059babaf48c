using System.ComponentModel;
using System.Diagnostics;
using Harness.Config;

namespace Harness.Slurm;

/// <summary>Submits batch scripts with the cluster's own <c>sbatch</c> (found on PATH; SLURM_CONF and the rest of the environment pass through).</summary>
internal static class Sbatch
{
    /// <summary>
    /// Runs <c>sbatch --parsable OPTIONS SCRIPT</c> and returns the job id it prints. A missing sbatch is bad input (this
    /// is not a Slurm login node); a refusal is an error carrying sbatch's own message.
    /// </summary>
    public static string Submit(IReadOnlyList<string> options, string script)
    {
        var start = new ProcessStartInfo("sbatch")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--parsable");
        foreach (var option in options) start.ArgumentList.Add(option);
        start.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            throw new HarnessInputException("slurm: sbatch is not on PATH: run this on a Slurm login node (--dry-run shows the scripts anywhere)");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // --parsable prints "jobid" or "jobid;cluster".
            var id = stdout.Trim().Split(';')[0];
            if (process.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
                throw new InvalidOperationException($"sbatch {script} failed (exit {process.ExitCode}): {(stderr.Result + stdout).Trim()}");
            return id;
        }
    }
}
