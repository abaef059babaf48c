using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Harness.Tests.Training;

/// <summary>
/// The harness as its own process (<c>dotnet Harness.dll ARGS</c> from the test's output folder), for what only a
/// process can show: SIGKILL at a chosen moment, SIGINT/SIGTERM handling and exit codes, two runs at once.
/// </summary>
internal sealed class HarnessProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _all = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    /// <summary>Starts Harness with <paramref name="args"/>; runs go under <paramref name="resultsRoot"/> unless --out says otherwise.</summary>
    public HarnessProcess(string resultsRoot, params string[] args) : this(resultsRoot, new Dictionary<string, string?>(), args)
    {
    }

    /// <summary>As above, with <paramref name="environment"/> set in the process's environment (a null value removes the variable).</summary>
    public HarnessProcess(string resultsRoot, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Harness.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HARNESS_RESULTS"] = resultsRoot;
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
                return;
            }
            _all.Enqueue(e.Data);
            _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) _stderr.Enqueue(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything printed to stdout so far.</summary>
    public string Output => string.Join('\n', _all);

    /// <summary>Everything printed to stderr so far.</summary>
    public string Errors => string.Join('\n', _stderr);

    /// <summary>Waits for the first stdout line <paramref name="match"/> accepts; false if the process ended first or time ran out.</summary>
    public bool WaitForLine(Func<string, bool> match, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (!_lines.TryTake(out var line, 200))
            {
                if (_lines.IsCompleted) return false;
                continue;
            }
            if (match(line)) return true;
        }
        return false;
    }

    /// <summary>Waits for a stderr line containing <paramref name="text"/>; false if the process ended first or time ran out.</summary>
    public bool WaitForError(string text, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_stderr.Any(line => line.Contains(text, StringComparison.Ordinal))) return true;
            if (_process.HasExited) return false;
            Thread.Sleep(5);
        }
        return false;
    }

    /// <summary>SIGKILL: the process ends at once, with no chance to write anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(); // SIGKILL on Unix
        _process.WaitForExit();
    }

    /// <summary>Sends POSIX signal <paramref name="signal"/> (2 SIGINT, 15 SIGTERM).</summary>
    public void Signal(int signal) => Assert.Equal(0, SendSignal(_process.Id, signal));

    /// <summary>Waits for the process to end; returns its exit code (128 + n when a signal n ended it).</summary>
    public int WaitForExit(int timeoutSeconds = 300)
    {
        Assert.True(_process.WaitForExit(timeoutSeconds * 1000), $"harness did not exit within {timeoutSeconds} s:\n{Output}");
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        _lines.Dispose();
    }
}
