using System.Globalization;
using System.Text;
using Harness.Metrics.IO;

namespace Harness.Metrics;

/// <summary>
/// The accuracy matrix R of a continual-learning run: row i is the evaluation after stage i (row 0,
/// <see cref="InitialStage"/>, is before any training), column j is the test accuracy on domain j.
/// Immutable; every value is finite and in [0, 1].
/// </summary>
/// <remarks>
/// CSV form (see <see cref="WriteCsv"/>): a header <c>stage,&lt;domain ids&gt;</c>, then one line per row with its
/// stage label and values in invariant culture, round-trip format. Labels cannot contain commas, quotes, line breaks
/// or surrounding whitespace, so the CSV needs no quoting.
/// </remarks>
public sealed class AccuracyMatrix
{
    /// <summary>Label of row 0: the evaluation before any training.</summary>
    public const string InitialStage = "initial";

    private const string StageHeader = "stage";

    // What "R" formatting produces, and nothing more: no whitespace, no thousands separators.
    private const NumberStyles StrictNumber =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private readonly double[,] _values; // [Rows, Columns]

    /// <summary>Creates a matrix, copying <paramref name="values"/>.</summary>
    /// <param name="domains">Column ids in curriculum order; unique, at least one.</param>
    /// <param name="stages">Row labels: <see cref="InitialStage"/> first, then the stage trained before each row
    /// (usually the domain id, or e.g. "joint").</param>
    /// <param name="values">Accuracies, [stages.Count, domains.Count], each finite and in [0, 1].</param>
    /// <exception cref="ArgumentException">A shape, label or value is invalid.</exception>
    public AccuracyMatrix(IReadOnlyList<string> domains, IReadOnlyList<string> stages, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(values);

        if (domains.Count == 0)
        {
            throw new ArgumentException("An accuracy matrix needs at least one domain.", nameof(domains));
        }

        if (stages.Count == 0)
        {
            throw new ArgumentException($"An accuracy matrix needs at least one row ('{InitialStage}').", nameof(stages));
        }

        if (values.GetLength(0) != stages.Count || values.GetLength(1) != domains.Count)
        {
            throw new ArgumentException(
                $"Values are [{values.GetLength(0)}, {values.GetLength(1)}] but there are {stages.Count} stages and "
                + $"{domains.Count} domains.",
                nameof(values));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string domain in domains)
        {
            if (LabelProblem(domain) is { } problem)
            {
                throw new ArgumentException($"Domain id {problem}.", nameof(domains));
            }

            if (!seen.Add(domain))
            {
                throw new ArgumentException($"Domain id '{domain}' appears twice.", nameof(domains));
            }
        }

        foreach (string stage in stages)
        {
            if (LabelProblem(stage) is { } problem)
            {
                throw new ArgumentException($"Stage label {problem}.", nameof(stages));
            }
        }

        if (stages[0] != InitialStage)
        {
            throw new ArgumentException($"The first row must be '{InitialStage}', not '{stages[0]}'.", nameof(stages));
        }

        for (int r = 0; r < stages.Count; r++)
        {
            for (int c = 0; c < domains.Count; c++)
            {
                if (!IsAccuracy(values[r, c]))
                {
                    throw new ArgumentException(
                        $"Value {Format(values[r, c])} at row {r} ('{stages[r]}'), domain '{domains[c]}' is not an "
                        + "accuracy: it must be finite and in [0, 1].",
                        nameof(values));
                }
            }
        }

        Domains = domains.ToArray().AsReadOnly();
        Stages = stages.ToArray().AsReadOnly();
        _values = (double[,])values.Clone();
    }

    /// <summary>Column ids, in curriculum order.</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>Row labels: <see cref="InitialStage"/>, then the stage trained before each later row.</summary>
    public IReadOnlyList<string> Stages { get; }

    /// <summary>Number of rows (evaluations), including the initial one.</summary>
    public int Rows => Stages.Count;

    /// <summary>Number of columns (domains).</summary>
    public int Columns => Domains.Count;

    /// <summary>Accuracy on domain <paramref name="col"/> evaluated after row <paramref name="row"/>'s stage.</summary>
    public double this[int row, int col] => _values[row, col];

    /// <summary>Creates a matrix from one list of values per row, as an evaluator produces them.</summary>
    /// <exception cref="ArgumentException">A row's length, a label or a value is invalid.</exception>
    public static AccuracyMatrix FromRows(
        IReadOnlyList<string> domains, IReadOnlyList<string> stages, IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(rows);

        var values = new double[rows.Count, domains.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != domains.Count)
            {
                throw new ArgumentException(
                    $"Row {r} has {rows[r].Count} values but there are {domains.Count} domains.", nameof(rows));
            }

            for (int c = 0; c < domains.Count; c++)
            {
                values[r, c] = rows[r][c];
            }
        }

        return new AccuracyMatrix(domains, stages, values);
    }

    /// <summary>A copy of row <paramref name="row"/>, one value per domain.</summary>
    public double[] Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);

        var result = new double[Columns];
        for (int c = 0; c < Columns; c++)
        {
            result[c] = _values[row, c];
        }

        return result;
    }

    /// <summary>The CSV text written by <see cref="WriteCsv"/>: header, then one line per row, '\n' line ends.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(StageHeader);
        foreach (string domain in Domains)
        {
            csv.Append(',').Append(domain);
        }

        csv.Append('\n');
        for (int r = 0; r < Rows; r++)
        {
            csv.Append(Stages[r]);
            for (int c = 0; c < Columns; c++)
            {
                csv.Append(',').Append(Format(_values[r, c]));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public void WriteCsv(string path) => AtomicFile.WriteAllText(path, ToCsv());

    /// <summary>
    /// Reads a matrix written by <see cref="WriteCsv"/>. Strict: no blank lines, no quoting, no whitespace around
    /// fields, every value a finite number in [0, 1], the first row <see cref="InitialStage"/>.
    /// </summary>
    /// <exception cref="MetricsInputException">The content is malformed; the message is <c>path:line: problem</c>.</exception>
    /// <exception cref="IOException">The file cannot be read (for example, it does not exist).</exception>
    public static AccuracyMatrix ReadCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        string[] lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0)
        {
            throw new MetricsInputException(path, 1, $"file is empty; expected a header '{StageHeader},<domain ids>'");
        }

        string[] header = SplitLine(path, 1, lines[0]);
        if (header[0] != StageHeader)
        {
            throw new MetricsInputException(
                path, 1, $"header must start with '{StageHeader}', found '{header[0]}'");
        }

        if (header.Length < 2)
        {
            throw new MetricsInputException(path, 1, "header names no domains");
        }

        string[] domains = header[1..];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string domain in domains)
        {
            if (LabelProblem(domain) is { } problem)
            {
                throw new MetricsInputException(path, 1, $"domain id {problem}");
            }

            if (!seen.Add(domain))
            {
                throw new MetricsInputException(path, 1, $"domain id '{domain}' appears twice");
            }
        }

        if (lines.Length == 1)
        {
            throw new MetricsInputException(path, 2, $"no rows after the header; the first row must be '{InitialStage}'");
        }

        var stages = new string[lines.Length - 1];
        var values = new double[lines.Length - 1, domains.Length];
        for (int r = 0; r < stages.Length; r++)
        {
            int lineNumber = r + 2;
            string[] fields = SplitLine(path, lineNumber, lines[r + 1]);
            if (fields.Length != domains.Length + 1)
            {
                throw new MetricsInputException(
                    path,
                    lineNumber,
                    $"expected {domains.Length + 1} fields (stage + {domains.Length} domains), found {fields.Length}");
            }

            if (LabelProblem(fields[0]) is { } problem)
            {
                throw new MetricsInputException(path, lineNumber, $"stage label {problem}");
            }

            if (r == 0 && fields[0] != InitialStage)
            {
                throw new MetricsInputException(
                    path, lineNumber, $"first row must be '{InitialStage}', found '{fields[0]}'");
            }

            stages[r] = fields[0];
            for (int c = 0; c < domains.Length; c++)
            {
                string field = fields[c + 1];
                if (!double.TryParse(field, StrictNumber, CultureInfo.InvariantCulture, out double value)
                    || !double.IsFinite(value))
                {
                    throw new MetricsInputException(
                        path, lineNumber, $"value '{field}' for domain '{domains[c]}' is not a finite number");
                }

                if (!IsAccuracy(value))
                {
                    throw new MetricsInputException(
                        path, lineNumber, $"value '{field}' for domain '{domains[c]}' is outside [0, 1]");
                }

                values[r, c] = value;
            }
        }

        return new AccuracyMatrix(domains, stages, values);
    }

    private static string[] SplitLine(string path, int lineNumber, string line)
    {
        if (line.Length == 0)
        {
            throw new MetricsInputException(path, lineNumber, "line is empty");
        }

        if (line.Contains('"'))
        {
            throw new MetricsInputException(path, lineNumber, "quoted fields are not supported");
        }

        return line.Split(',');
    }

    private static bool IsAccuracy(double value) => value is >= 0.0 and <= 1.0; // false for NaN

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Why <paramref name="label"/> cannot be a domain id or stage label, or null if it can.</summary>
    private static string? LabelProblem(string? label)
    {
        if (string.IsNullOrEmpty(label))
        {
            return "is empty";
        }

        if (label.Trim().Length != label.Length)
        {
            return $"'{label}' has leading or trailing whitespace";
        }

        if (label.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            return $"'{label}' contains a comma, quote or line break";
        }

        return null;
    }
}
