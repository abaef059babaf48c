using System.Text;

namespace Harness.Tests.Training;

/// <summary>A console that runs <paramref name="action"/> once, on the first line <paramref name="trigger"/> matches (a stop request at a chosen point of a run).</summary>
internal sealed class TriggerWriter(Func<string, bool> trigger, Action action) : StringWriter
{
    private bool _fired;

    /// <summary>Whether the trigger line was seen.</summary>
    public bool Fired => _fired;

    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (_fired || value is null || !trigger(value)) return;
        _fired = true;
        action();
    }
}
