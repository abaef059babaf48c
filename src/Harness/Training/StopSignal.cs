using System.Runtime.InteropServices;

namespace Harness.Training;

/// <summary>
/// A request to stop a run early, from SIGINT or SIGTERM. Once <see cref="Arm"/>ed (by the commands that train), the
/// first signal only sets the request: training finishes its current step, writes what is done (status
/// <c>interrupted</c>) and exits 130 (SIGINT) or 143 (SIGTERM). A second signal, or any signal to a command that does
/// not train (validate, compare, data, ...), is not intercepted, so it ends the process at once.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private const int SigInt = 2, SigTerm = 15; // POSIX numbers: exit codes are 128 + these
    private volatile int _signal; // 0 = none, else the POSIX signal number
    private volatile bool _armed;

    /// <summary>True once a stop was requested.</summary>
    public bool Requested => _signal != 0;

    /// <summary>The conventional exit code after the signal: 128 + its number.</summary>
    public int ExitCode => 128 + _signal;

    /// <summary>The signal's name, for the log and metrics.json.</summary>
    public string Name => _signal switch { SigInt => "SIGINT", SigTerm => "SIGTERM", 0 => "none", var n => $"signal {n}" };

    /// <summary>From now on the first signal asks for an orderly stop instead of ending the process.</summary>
    public void Arm() => _armed = true;

    /// <summary>A stop signal that listens to SIGINT and SIGTERM until disposed; <paramref name="notice"/> hears when a stop begins.</summary>
    public static StopSignal Listen(TextWriter notice)
    {
        var stop = new StopSignal();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            stop._registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (!stop._armed || stop.Requested) return; // default handling ends the process now
                context.Cancel = true;
                stop.Request(context.Signal == PosixSignal.SIGINT ? SigInt : SigTerm);
                notice.WriteLine($"{stop.Name}: stopping after the current step (send it again to quit at once)");
            }));
        return stop;
    }

    /// <summary>Requests a stop as if signal <paramref name="signalNumber"/> had arrived (tests, and the handlers above).</summary>
    public void Request(int signalNumber) => _signal = signalNumber;

    /// <summary>Throws <see cref="RunInterruptedException"/> if a stop was requested; <paramref name="where"/> says what was running.</summary>
    public void ThrowIfRequested(string where)
    {
        if (Requested) throw new RunInterruptedException(this, where);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _registrations.Clear();
    }
}
