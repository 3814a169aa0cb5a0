using Facemoji.Vision.Detection;

namespace Facemoji.Pipeline.Tracking;

/// <summary>
/// Spreads a split detector's whole-frame search (<see cref="ISplitSearchDetector"/>: BlazeFace's whole-frame,
/// tiled and turned looks) over the frames of a video, round robin, so that no frame pays for all of it: the first
/// frame (and the first after the frame size changes) gets the whole search, so its faces show at once; then
/// <see cref="LooksWhileSearching"/> looks a frame while no face is tracked, and one look every
/// <see cref="FramesPerLookWhileTracking"/> frames while faces are tracked (the tracked faces themselves are
/// followed by a look around each, every frame). A new face is therefore seen within one round of the search:
/// <see cref="FramesPerRound"/> frames.
/// </summary>
internal sealed class StaggeredSearch(Func<int, int, IReadOnlyList<SearchSquare>> squaresFor)
{
    public const int LooksWhileSearching = 3;
    public const int FramesPerLookWhileTracking = 2;

    private IReadOnlyList<SearchSquare> squares = [];
    private int width = -1, height = -1;
    private int next;
    private int framesSinceLook;

    /// <summary>The looks of the whole search on frames of the current size.</summary>
    public int SquareCount => squares.Count;

    /// <summary>The most frames one round of the search takes: every look has come up once within it.</summary>
    public int FramesPerRound(bool tracking) => tracking
        ? squares.Count * FramesPerLookWhileTracking
        : (squares.Count + LooksWhileSearching - 1) / LooksWhileSearching;

    /// <summary>The looks to run on this frame (often none while faces are tracked).</summary>
    public IReadOnlyList<SearchSquare> Next(int frameWidth, int frameHeight, int trackedFaces)
    {
        if (frameWidth != width || frameHeight != height)
        {
            (width, height) = (frameWidth, frameHeight);
            squares = squaresFor(frameWidth, frameHeight);
            next = 0;
            framesSinceLook = 0;
            return squares;
        }

        int count = LooksWhileSearching;
        if (trackedFaces > 0)
        {
            if (++framesSinceLook < FramesPerLookWhileTracking)
            {
                return [];
            }

            count = 1;
        }

        framesSinceLook = 0;
        var picked = new List<SearchSquare>(count);
        for (int i = 0; i < Math.Min(count, squares.Count); i++)
        {
            picked.Add(squares[next]);
            next = (next + 1) % squares.Count;
        }

        return picked;
    }
}
