namespace Facemoji.Engine.Tests.Support;

/// <summary>
/// Tests that change the process-wide ParallelRows.MaxDegreeOfParallelism or measure process-wide allocation run
/// in this collection, alone, after the parallel tests (so no other test disturbs them or is disturbed).
/// </summary>
[CollectionDefinition("ParallelRows settings", DisableParallelization = true)]
public sealed class ParallelRowsSettingsCollection
{
}
