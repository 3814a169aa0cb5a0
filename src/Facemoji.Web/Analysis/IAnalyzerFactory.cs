namespace Facemoji.Web.Analysis;

/// <summary>Makes the analyzers the server uses: the pipeline's in production, something else only where a test says so.</summary>
public interface IAnalyzerFactory
{
    /// <summary>What the analyzers use (model and detector), for /api/health.</summary>
    string Description { get; }

    IStillAnalyzer CreateStill();

    ILiveAnalyzer CreateLive();
}
