using System.Globalization;

namespace Harness.Training;

/// <summary>
/// Grep-able log lines ("stage 2/3 poetry step 300/420: loss 0.412, 25.1k tok/s") to train.log and the console,
/// plus a live progress line on a terminal.
/// </summary>
internal sealed class RunLog(TextWriter console, bool interactive) : IDisposable
{
    private StreamWriter? _file;
    private bool _progressShown;

    /// <summary>Starts appending every line to <paramref name="path"/> too.</summary>
    public void AttachFile(string path) => _file = new StreamWriter(path, append: true) { AutoFlush = true };

    /// <summary>A line for the console and the log file.</summary>
    public void Line(string message)
    {
        ClearProgress();
        console.WriteLine(message);
        _file?.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)} {message}");
    }

    /// <summary>A line for the log file only (details the console summary already shows).</summary>
    public void FileOnly(string message) =>
        _file?.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)} {message}");

    /// <summary>
    /// A training-step report: on a terminal a live progress bar (and the line in the log file), otherwise a plain line.
    /// </summary>
    public void Step(string label, int step, int total, double loss, double lr, double tokensPerSecond, TimeSpan eta, string unit = "tok")
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label} step {step}/{total}: loss {loss:F4}, lr {lr:G3}, {tokensPerSecond / 1000:F1}k {unit}/s");
        if (!interactive)
        {
            Line(line);
            return;
        }
        FileOnly(line);
        const int width = 24;
        int filled = total == 0 ? width : (int)(width * (double)step / total);
        var bar = new string('#', filled) + new string('-', width - filled);
        console.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r{label} [{bar}] {step}/{total} loss {loss:F3} {tokensPerSecond / 1000:F1}k tok/s ETA {eta:mm\\:ss}   "));
        _progressShown = true;
    }

    private void ClearProgress()
    {
        if (!_progressShown) return;
        console.Write("\r" + new string(' ', 100) + "\r");
        _progressShown = false;
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();
}
