using Facemoji.Imaging;

namespace Facemoji.Web.Analysis;

/// <summary>
/// Follows the faces of one camera across frames, with the pipeline's smoothing and hysteresis, so the emoji
/// does not flicker. One per WebSocket; not thread-safe.
/// </summary>
public interface ILiveAnalyzer : IDisposable
{
    IReadOnlyList<WebFace> Process(RgbaImage frame, double timeSeconds);
}
