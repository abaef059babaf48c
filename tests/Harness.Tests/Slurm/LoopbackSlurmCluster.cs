using System.Diagnostics;
using Harness.Data;

namespace Harness.Tests.Slurm;

/// <summary>
/// A real Slurm controller and node on 127.0.0.1, started by tests/slurm/loopback-cluster.sh in a temporary folder
/// (which installs slurm-wlm and munge with apt when missing) and stopped by it, by pid file, on dispose.
/// </summary>
public sealed class LoopbackSlurmCluster : IDisposable
{
    private static readonly string Script = Path.Combine(DataPaths.Repository()!, "tests", "slurm", "loopback-cluster.sh");
    private readonly TempDirectory _dir = new();

    public LoopbackSlurmCluster()
    {
        var watch = Stopwatch.StartNew();
        Start();
        StartSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <summary>The cluster's folder: slurm.conf, daemon logs and state.</summary>
    public string Folder => _dir.File("cluster");

    /// <summary>How long starting took (including any installation).</summary>
    public double StartSeconds { get; }

    /// <summary>The environment a Slurm client needs to reach this cluster.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["SLURM_CONF"] = Path.Combine(Folder, "slurm.conf") };

    /// <summary>The state of every job or array task of <paramref name="jobId"/> (COMPLETED, FAILED, RUNNING, ...), one per line of squeue.</summary>
    public IReadOnlyList<string> States(string jobId)
    {
        var (exit, output) = Run("squeue", "-h", "-t", "all", "-j", jobId, "-o", "%i %T");
        if (exit != 0) throw new InvalidOperationException($"squeue -j {jobId} failed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Waits until job <paramref name="jobId"/> has ended and returns its final state; fails the test after <paramref name="timeoutSeconds"/>.</summary>
    public string WaitUntilEnded(string jobId, int timeoutSeconds = 300)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var states = States(jobId).Select(l => l.Split(' ')[1]).ToList();
            if (states.Count > 0 && states.All(s => s is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL" or "BOOT_FAIL" or "DEADLINE"))
                return string.Join(',', states.Distinct());
            Thread.Sleep(250);
        }
        throw new TimeoutException($"job {jobId} did not end within {timeoutSeconds} s: {string.Join("; ", States(jobId))}\n{Logs()}");
    }

    /// <summary>Stops the daemons by their pid files and starts them again in the same folder.</summary>
    public void Restart()
    {
        var (exit, output) = Run("bash", Script, "stop", Folder);
        if (exit != 0) throw new InvalidOperationException($"the loopback Slurm cluster did not stop (exit {exit}):\n{output}");
        Start();
    }

    /// <summary>Submits a job with <c>sbatch --parsable ARGS</c>; returns its id.</summary>
    public string Submit(params string[] args)
    {
        var (exit, output) = Run("sbatch", ["--parsable", .. args]);
        if (exit != 0) throw new InvalidOperationException($"sbatch failed (exit {exit}): {output}");
        return output.Trim();
    }

    /// <summary>The daemons' logs, for a failure message.</summary>
    public string Logs() => string.Join('\n', Directory.EnumerateFiles(Path.Combine(Folder, "log"))
        .Select(f => $"--- {f}\n{string.Join('\n', File.ReadLines(f).TakeLast(20))}"));

    public void Dispose()
    {
        Run("bash", Script, "stop", Folder);
        _dir.Dispose();
    }

    private void Start()
    {
        var (exit, output) = Run("bash", Script, "start", Folder);
        if (exit != 0) throw new InvalidOperationException($"the loopback Slurm cluster did not start (exit {exit}):\n{output}");
    }

    private (int Exit, string Output) Run(string program, params string[] args) => ExternalCommand.Run(program, args, Environment);
}
