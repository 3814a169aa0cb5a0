using Facemoji.Imaging;

namespace Facemoji.Web.Analysis;

/// <summary>Finds and reads the faces of one image. Not thread-safe: the server pools them.</summary>
public interface IStillAnalyzer
{
    IReadOnlyList<WebFace> Analyze(RgbaImage image);
}
