using System.Xml;
using System.Xml.Linq;

namespace Harness.Metrics.Tests.Reports;

/// <summary>
/// Loads report.html as XML (the report is written as well-formed XHTML-compatible HTML) and finds its number cells by
/// their data attributes.
/// </summary>
internal sealed class ReportDocument
{
    private ReportDocument(XDocument document)
    {
        Document = document;
    }

    public XDocument Document { get; }

    public static ReportDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return new ReportDocument(XDocument.Load(reader));
    }

    public IEnumerable<XElement> Elements(string name) => Document.Descendants(name);

    /// <summary>The metrics-table cell of (variant, metric); exactly one must exist.</summary>
    public XElement MetricCell(string variant, string metric) =>
        Assert.Single(Elements("td"), td => (string?)td.Attribute("data-variant") == variant && (string?)td.Attribute("data-metric") == metric);

    /// <summary>The matrix cell of (variant, row, domain); exactly one must exist.</summary>
    public XElement MatrixCell(string variant, int row, string domain) =>
        Assert.Single(Elements("td"), td => (string?)td.Attribute("data-variant") == variant
                                            && (string?)td.Attribute("data-row") == row.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                            && (string?)td.Attribute("data-domain") == domain);

    /// <summary>The element with this id attribute.</summary>
    public XElement? ById(string id) => Document.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id);
}
