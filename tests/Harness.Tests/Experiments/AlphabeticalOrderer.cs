using Xunit.Abstractions;
using Xunit.Sdk;

namespace Harness.Tests.Experiments;

/// <summary>Runs a class's tests in name order, for tests that walk one shared folder through a suite's life.</summary>
public sealed class AlphabeticalOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
