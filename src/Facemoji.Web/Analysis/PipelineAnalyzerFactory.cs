using Facemoji.Engine;

namespace Facemoji.Web.Analysis;

/// <summary>The pipeline's analyzers (model + face cascade). TEMPORARY until Facemoji.Pipeline's FaceAnalyzer lands on main.</summary>
public sealed class PipelineAnalyzerFactory : IAnalyzerFactory
{
    public string Description => "pipeline (not merged yet)";

    public IStillAnalyzer CreateStill() => throw new FacemojiException("the analysis pipeline is not available in this build");

    public ILiveAnalyzer CreateLive() => throw new FacemojiException("the analysis pipeline is not available in this build");
}
