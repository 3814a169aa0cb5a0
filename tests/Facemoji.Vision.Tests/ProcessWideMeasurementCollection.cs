namespace Facemoji.Vision.Tests;

/// <summary>
/// Tests that read process-wide counters (<c>GC.GetTotalAllocatedBytes</c>) run alone: allocations of tests
/// running beside them in the same process would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurementCollection
{
    public const string Name = "Process-wide measurements";
}
