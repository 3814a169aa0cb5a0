using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// A detector whose whole-frame search is a list of separate looks (squares of the frame, each at an angle), as
/// BlazeFace's tiled and turned passes are: a video can spread them over several frames instead of running them
/// all on one. <see cref="DetectEverywhere"/> runs every one of <see cref="SearchSquares"/> on one frame;
/// <see cref="IFaceDetector.Detect"/>, the photo search, may run fewer (BlazeFace stops after the first stage that finds a face).
/// </summary>
public interface ISplitSearchDetector : IFaceDetector
{
    /// <summary>The looks of the whole-frame search of a frame of this size, in the order <see cref="IFaceDetector.Detect"/> runs them.</summary>
    IReadOnlyList<SearchSquare> SearchSquares(int width, int height);

    /// <summary>The faces the given looks find, the views of one face merged as <see cref="IFaceDetector.Detect"/> merges them.</summary>
    IReadOnlyList<DetectedFace> DetectInSquares(GrayImage gray, RgbaImage? color, IReadOnlyList<SearchSquare> squares);

    /// <summary>The faces of every look of <see cref="SearchSquares"/>, as a video's first frame is searched.</summary>
    IReadOnlyList<DetectedFace> DetectEverywhere(GrayImage gray, RgbaImage? color);
}
