using System.Collections.Concurrent;
using Facemoji.Engine.TfLite;
using Facemoji.Imaging;

namespace Facemoji.Vision.Detection.BlazeFace;

/// <summary>
/// MediaPipe's BlazeFace run by our engine (<see cref="TfLiteInterpreter"/>): the frame is letterboxed into the
/// model's square input (black borders, values scaled to [-1, 1], bilinear sampling, as MediaPipe's
/// ImageToTensorCalculator does), decoded against MediaPipe's SSD anchors, merged by weighted non-maximum
/// suppression and mapped back to the frame with six keypoints and the roll they give.
/// BlazeFace sees faces rolled up to about ±30-40°; <see cref="RotatedPassAngles"/> adds passes over the frame
/// turned by those angles so that more rolled heads are found too; <see cref="TileLevels"/> adds passes over
/// overlapping squares of the frame (upright and turned by <see cref="TileAngles"/>) so that small faces are found;
/// faces below <see cref="MinScore"/> or without plausible landmarks are dropped; and <see cref="DetectNear"/> looks for a
/// tracked face in a square around it turned by its last roll. Not thread-safe: one detector per thread (the
/// model file is read once per process).
/// </summary>
public sealed class BlazeFaceDetector : ISplitSearchDetector
{
    private static readonly ConcurrentDictionary<string, Lazy<TfLiteModel>> Models = new(StringComparer.Ordinal);

    // A tracked face is looked for in a square this many times its size, centred on it.
    private const double RegionScale = 2.5;

    // A candidate's closer look is at most this share of the frame's longer side, so that it is closer than the whole-frame
    // look (by at least 1/0.6, about 1.7 times), and at least CloserLookMinScale times the candidate's box (its face whole).
    private const double CloserLookMaxShare = 0.6;
    private const double CloserLookMinScale = 1.5;

    // A face cut by a tile's edge whose box is larger than this share of the tile may be held whole by no tile (they
    // overlap by half a tile): the photo search gives it a closer look (PhotoLook).
    private const double CutFaceShare = 0.4;

    // A face whose roll is further than this (degrees) from the angle of the pass that found it is looked at again,
    // upright: the same 10° within which two views of a face count as equally upright (Better).
    private const double RefineTilt = 10;

    // Faces a turned pass (or a refining look) sees turned by more than this from its own angle are dropped.
    private const double MaxPassTilt = 30;

    private readonly TfLiteInterpreter interpreter;
    private readonly (float X, float Y)[] anchors;

    // The decoded detections of the current look, reused from look to look.
    private readonly List<RawDetection> decoded = [];

    public BlazeFaceDetector(BlazeFaceModel model, string? path = null)
    {
        Model = model;
        string file = Path.GetFullPath(path ?? model.Locate());
        var lazy = Models.GetOrAdd(file, f => new Lazy<TfLiteModel>(() => TfLiteModel.Load(f)));
        TfLiteModel loaded;
        try
        {
            loaded = lazy.Value;
            interpreter = new TfLiteInterpreter(loaded);
        }
        catch
        {
            Models.TryRemove(file, out _);
            throw;
        }

        TileLevels = model.IsFullRange ? 0 : 1;
        anchors = SsdAnchors.Generate(model.InputSize, model.Strides, model.InterpolatedScaleAspectRatio);
        var shape = interpreter.InputShape();
        if (shape.Count != 4 || shape[1] != model.InputSize || shape[2] != model.InputSize || shape[3] != 3 ||
            interpreter.Model.Outputs.Count != 2 || interpreter.OutputShape(0)[1] != anchors.Length || interpreter.OutputShape(1)[1] != anchors.Length ||
            interpreter.OutputShape(0)[^1] != BlazeFaceDecoder.ValuesPerAnchor)
        {
            throw new FacemojiException(
                $"TFLite model {file} is not MediaPipe's {model.FileName}: it takes [{string.Join(",", shape)}] and gives " +
                $"{string.Join(" and ", Enumerable.Range(0, interpreter.Model.Outputs.Count).Select(i => "[" + string.Join(",", interpreter.OutputShape(i)) + "]"))}, " +
                $"expected [1,{model.InputSize},{model.InputSize},3] in and [1,{anchors.Length},16] and [1,{anchors.Length},1] out.");
        }
    }

    public string Name => Model.Name;

    public BlazeFaceModel Model { get; }

    /// <summary>Extra full-frame passes with the frame turned by these angles (degrees); empty for one upright pass.</summary>
    public IReadOnlyList<double> RotatedPassAngles { get; init; } = [-45, 45];

    /// <summary>
    /// Tiled passes for small faces: on a frame whose longer side is at least <see cref="MinTiledSide"/> pixels,
    /// the frame is also searched in overlapping squares of half its longer side (half a square apart), so a face
    /// of a tenth of the frame fills a fifth of the model's input instead of a tenth. 0 for the whole frame only.
    /// One level by default for the short-range model, none for the full-range one (made for small faces). With at
    /// least one level, a large frame gets further levels (a quarter of its side, an eighth...) while their squares are
    /// at least <see cref="MinTiledSide"/>: on a 1280x720 camera frame a 50 px face is 4% of the side, too small for
    /// 640 px squares, and fills a sixth of a 320 px one (<see cref="LevelsFor"/>).
    /// </summary>
    public int TileLevels { get; init; }

    /// <summary>
    /// Extra passes over each tile turned by these angles (degrees): a small face rolled by 30° scores too low upright.
    /// </summary>
    public IReadOnlyList<double> TileAngles { get; init; } = [-30, 30];

    /// <summary>Frames smaller than this (longer side, pixels) get no tiled passes.</summary>
    public int MinTiledSide { get; init; } = 320;

    /// <summary>
    /// Faces scored below this are dropped. MediaPipe keeps the short-range model's faces from 0.5
    /// (<see cref="BlazeFaceModel.MinScoreThreshold"/>, still the threshold of the suppression that merges them), but with
    /// the tiled and turned passes looking at each frame many times, its textures scored 0.5-0.6 show as faces.
    /// </summary>
    public double MinScore { get; init; } = 0.6;

    // The score from which a face is kept: MinScore, or the model's own threshold where it is NaN.
    private double KeepScore => double.IsNaN(MinScore) ? Model.MinScoreThreshold : MinScore;

    /// <summary>Whether faces whose six keypoints do not sit on a face the size of their box are dropped (<see cref="PlausibleFace"/>).</summary>
    public bool CheckLandmarks { get; init; } = true;

    /// <summary>How many times the model has run (one per look at a square of a frame) since this detector was made.</summary>
    public long ModelRuns { get; private set; }

    /// <summary>
    /// Faces whose look scored them from this up to <see cref="MinScore"/> are candidates: each gets one more look, in a
    /// square 2.5 times its size turned by its roll (<see cref="DetectNear"/>), and is kept when that closer, upright
    /// view scores it from <see cref="MinScore"/>. A face of a quarter of the frame fills a quarter of the model's input
    /// in the whole-frame look, where the short-range model (made for faces close to the camera) often scores it
    /// 0.3-0.6; in the closer look it fills 40% and scores like a near face. 1 for no candidates.
    /// </summary>
    public double CandidateScore { get; init; } = 0.3;

    /// <summary>The candidate score of the tiled passes, higher: a tile shows textures at the scale of small faces, and more of them score 0.3-0.5.</summary>
    public double TileCandidateScore { get; init; } = 0.5;

    /// <summary>At most this many candidates of one stage of the photo search get their closer look (the highest scored first).</summary>
    public int MaxCandidateLooks { get; init; } = 4;

    /// <summary>
    /// Whether the photo search (<see cref="Detect"/>) stops after the first of its stages whose looks find a face
    /// (scored from <see cref="MinScore"/> by the look itself, not only as a confirmed candidate; a turned look's face once
    /// its closer look finds it again): the whole
    /// frame upright, then turned by <see cref="RotatedPassAngles"/>, then the tiles (<see cref="PhotoStages"/>). True by
    /// default: a photo in which the whole-frame look finds a face is one taken of that face (a portrait, a selfie, a
    /// webcam frame), and the turned passes and tiles, which look for rolled heads and for faces under about a quarter of
    /// the frame, then mostly add looks (and false detections) for faces that are not there. False searches every stage
    /// (a rolled or small face beside an upright one is found too).
    /// </summary>
    public bool StopWhenFound { get; init; } = true;

    // A confirmed candidate stops the photo search when it and its closer look are within this many degrees of
    // upright; beyond, the roll its keypoints gave may be far off (see Detect).
    private const double TrustedCandidateRoll = 15;

    public IReadOnlyList<DetectedFace> Detect(GrayImage gray, RgbaImage? color)
    {
        var source = new SampleSource(gray, color);
        var faces = new List<(DetectedFace Face, double Tilt)>();
        bool seen = false;
        foreach (var stage in PhotoStages(gray.Width, gray.Height))
        {
            // A face a stage's own looks scored from MinScore stops the search, and so does a candidate confirmed nearly
            // upright; one confirmed turned does not: its closer look is turned by the roll its keypoints gave, which
            // beyond about 30° can be far off, and the view it then gets can be a wrong one (a head turned 30° seen at
            // -42° and confirmed at -54°); the turned stage sees it right.
            if (StopWhenFound && seen)
            {
                break;
            }

            var candidates = new List<DetectedFace>();
            var turnedFinds = new List<(DetectedFace Face, double Angle)>();
            foreach (var square in stage.Squares)
            {
                foreach (var (face, cut) in PhotoLook(source, square, Math.Min(stage.CandidateScore, KeepScore)))
                {
                    if (face.Score >= KeepScore && !cut && square.Angle != 0)
                    {
                        turnedFinds.Add((face, square.Angle));
                    }
                    else if (face.Score >= KeepScore && !cut)
                    {
                        AddSettled(source, faces, face, square.Angle);
                        seen = true;
                    }
                    else if (!candidates.Any(c => SameFace(c, face)))
                    {
                        candidates.Add(face);
                    }
                }
            }

            // A face a turned look found stops the search only when a closer look, turned by its roll, finds it again: the
            // turned looks are where most false detections come from (their black corners, textures at every angle),
            // and one of them stopping the search would hide an upright face that only the tiles see. Unconfirmed, it is
            // kept as before (a face rolled far can score lower in its closer look), and the search goes on.
            foreach (var (turned, angle) in turnedFinds.OrderByDescending(f => f.Face.Score))
            {
                if (faces.Any(f => SameFace(f.Face, turned)))
                {
                    continue;
                }

                var again = CloserLook(source, turned).Where(f => SameFace(f, turned) && AngleBetween(f.Roll, turned.Roll) <= MaxPassTilt).MaxBy(f => f.Score);
                AddSettled(source, faces, again ?? turned, again is null ? angle : turned.Roll);
                seen |= again is not null;
            }

            // A candidate where a face is already found needs no look of its own.
            foreach (var candidate in candidates.Where(c => !faces.Any(f => SameFace(f.Face, c))).OrderByDescending(c => c.Score).Take(MaxCandidateLooks).ToList())
            {
                if (faces.Any(f => SameFace(f.Face, candidate)))
                {
                    continue;
                }

                double lookSide = CloserLookSide(candidate.Box, source.Width, source.Height);
                foreach (var found in CloserLook(source, candidate).Where(f => AngleBetween(f.Roll, candidate.Roll) <= MaxPassTilt))
                {
                    var (face, angle) = LookedAtOwnSize(source, found, candidate.Roll, lookSide);
                    AddSettled(source, faces, face, angle);

                    // A nearly upright face, seen so by its candidate and its closer look, is trusted as a look's own.
                    seen |= Math.Abs(candidate.Roll) <= TrustedCandidateRoll && Math.Abs(face.Roll) <= TrustedCandidateRoll;
                }
            }
        }

        return Refined(source, faces);
    }

    // A candidate's closer look is sized by the candidate's box; when the face it finds is much smaller than that box
    // promised (a look over RegionScale * OwnSizeSlack times its side), the face filled little of the look, and the
    // roll its keypoints gave can be far off (the astronaut turned by -31.5° and shrunk to an 88 px face in a 1024x768
    // frame: the whole-frame look drew a 181 px box at +43.5°, its closer look turned that wrong way saw the face at
    // +52°; a look at its own size turned by +52° scores it 0.32, upright 0.94 at -31°). The face is then looked at
    // again at its own size (RegionScale times its box), and a view is kept only when it agrees with itself: a look
    // turned by its roll sees the face again within RefineTilt of that roll (a wrong roll turns the face further from
    // upright, where the look loses it or sees it at another roll). First the closer look's roll is so checked; failing
    // that, the face is looked at upright, where a face rolled by up to about 45° is seen with its own roll, and that
    // roll is checked. Neither agreeing keeps the closer look's view: dropping it lost faces on the wild check.
    private const double OwnSizeSlack = 1.5;

    private (DetectedFace Face, double Angle) LookedAtOwnSize(SampleSource source, DetectedFace face, double lookAngle, double lookSide)
    {
        double side = Math.Max(face.Box.Width, face.Box.Height) * RegionScale;
        if (lookSide <= side * OwnSizeSlack)
        {
            return (face, lookAngle);
        }

        var centre = face.Center;
        var turned = DetectInSquare(source, centre.X, centre.Y, side, face.Roll)
            .Where(f => SameFace(f, face) && AngleBetween(f.Roll, face.Roll) <= RefineTilt).MaxBy(f => f.Score);
        if (turned is not null)
        {
            return (turned, face.Roll);
        }

        var upright = DetectInSquare(source, centre.X, centre.Y, side, 0).Where(f => SameFace(f, face)).MaxBy(f => f.Score);
        if (upright is null)
        {
            return (face, lookAngle);
        }

        var settled = DetectInSquare(source, centre.X, centre.Y, side, upright.Roll)
            .Where(f => SameFace(f, upright) && AngleBetween(f.Roll, upright.Roll) <= RefineTilt).MaxBy(f => f.Score);
        return settled is not null ? (settled, upright.Roll) : (face, lookAngle);
    }

    /// <summary>
    /// Every look of <see cref="SearchSquares"/> (the whole frame upright and turned, each tile upright and turned by
    /// <see cref="TileAngles"/>), then the second look at each face seen turned: the search a video's first frame gets.
    /// </summary>
    public IReadOnlyList<DetectedFace> DetectEverywhere(GrayImage gray, RgbaImage? color)
    {
        var source = new SampleSource(gray, color);
        return Refined(source, Search(source, SearchSquares(gray.Width, gray.Height)));
    }

    /// <summary>
    /// The stages of the photo search (<see cref="Detect"/>), each a list of looks and the score from which a face they
    /// see is a candidate: the whole frame upright; the whole frame turned by each of <see cref="RotatedPassAngles"/>;
    /// the tiles of <see cref="Tiles"/>, upright (a small rolled face is mostly seen as a candidate, whose closer look is
    /// turned by its roll).
    /// </summary>
    public IReadOnlyList<(IReadOnlyList<SearchSquare> Squares, double CandidateScore)> PhotoStages(int width, int height)
    {
        double side = Math.Max(width, height);
        var stages = new List<(IReadOnlyList<SearchSquare>, double)> { ([new SearchSquare(width / 2.0, height / 2.0, side, 0)], CandidateScore) };
        if (RotatedPassAngles.Count > 0)
        {
            stages.Add((RotatedPassAngles.Select(a => new SearchSquare(width / 2.0, height / 2.0, side, a)).ToList(), CandidateScore));
        }

        // One stage per level of tiles, the larger first.
        foreach (var level in Tiles(width, height).GroupBy(t => t.Side).OrderByDescending(g => g.Key))
        {
            stages.Add((level.Select(t => new SearchSquare(t.X, t.Y, t.Side, 0)).ToList(), TileCandidateScore));
        }

        return stages;
    }

    // The box and keypoints of a face seen turned come from a look at it turned upright (its own roll), as an
    // upright face's come from the upright pass: the aligned crop's framing (BlazeFaceModel.FerFrameScale) was
    // measured on such views, and a box the model draws round a turned face is not the box of the face upright.
    // Beyond about 40° BlazeFace's keypoints also understate the roll (about 50° for a head at 90°), which the
    // second look corrects.
    private List<DetectedFace> Refined(SampleSource source, List<(DetectedFace Face, double Tilt)> faces)
    {
        var result = new List<DetectedFace>(faces.Count);
        foreach (var (face, tilt) in faces)
        {
            var refined = tilt > RefineTilt
                ? DetectNear(source, face).Where(f => SameFace(f, face) && AngleBetween(f.Roll, face.Roll) < MaxPassTilt).MaxBy(f => f.Score)
                : null;
            result.Add(refined ?? face);
        }

        return result;
    }

    /// <summary>
    /// The looks of the whole-frame search: the whole frame upright and turned by each of <see cref="RotatedPassAngles"/>,
    /// then each tile of <see cref="Tiles"/> upright, those of the first level also turned by each of <see cref="TileAngles"/>.
    /// </summary>
    public IReadOnlyList<SearchSquare> SearchSquares(int width, int height)
    {
        var squares = new List<SearchSquare>();
        double side = Math.Max(width, height);
        foreach (double angle in RotatedPassAngles.Prepend(0))
        {
            squares.Add(new SearchSquare(width / 2.0, height / 2.0, side, angle));
        }

        double firstLevel = Math.Max(width, height) / 2.0;
        foreach (var (cx, cy, tile) in Tiles(width, height))
        {
            // The turned looks for the first level only: a large frame's further levels have many squares.
            foreach (double angle in tile == firstLevel ? TileAngles.Prepend(0) : [0])
            {
                squares.Add(new SearchSquare(cx, cy, tile, angle));
            }
        }

        return squares;
    }

    /// <summary>
    /// The faces the given looks find, views of one face merged, without <see cref="Detect"/>'s second look at a face
    /// seen turned (a video looks around each tracked face turned by its roll anyway).
    /// </summary>
    public IReadOnlyList<DetectedFace> DetectInSquares(GrayImage gray, RgbaImage? color, IReadOnlyList<SearchSquare> squares) =>
        Search(new SampleSource(gray, color), squares).Select(f => f.Face).ToList();

    // Each face the looks find, in its most upright view, with how far that view was turned from its look.
    private List<(DetectedFace Face, double Tilt)> Search(SampleSource source, IReadOnlyList<SearchSquare> squares)
    {
        var faces = new List<(DetectedFace Face, double Tilt)>();
        foreach (var square in squares)
        {
            foreach (var face in SearchLook(source, square, MinScore))
            {
                Add(faces, face, square.Angle);
            }
        }

        return faces;
    }

    // The faces of one look of a search, from the given score.
    private IEnumerable<DetectedFace> SearchLook(SampleSource source, SearchSquare square, double minScore) =>
        // A real face in a turned pass looks nearly upright there; what looks turned further is most often
        // a false detection on the black corners the turn brings in (the upright pass keeps everything).
        // A face cut by a tile's edge inside the frame is seen whole by a neighbouring tile (the whole-frame
        // squares reach past every edge, so this never drops their faces).
        DetectInSquare(source, square.X, square.Y, square.Side, square.Angle, minScore).Where(face =>
            (square.Angle == 0 || AngleBetween(face.Roll, square.Angle) <= MaxPassTilt) &&
            !CutByTile(face.Box, square.X, square.Y, square.Side, source.Width, source.Height));

    // The faces of one look of the photo search from the given score, each with whether it is cut by a tile's edge yet
    // too large for a neighbouring tile to hold it whole (over 0.4 of the tile, near the half tile by which tiles
    // overlap): such a face is a candidate for a closer look centred on it, where SearchLook drops it.
    internal IEnumerable<(DetectedFace Face, bool Cut)> PhotoLook(SampleSource source, SearchSquare square, double minScore)
    {
        foreach (var face in DetectInSquare(source, square.X, square.Y, square.Side, square.Angle, minScore))
        {
            if (square.Angle != 0 && AngleBetween(face.Roll, square.Angle) > MaxPassTilt)
            {
                continue;
            }

            if (!CutByTile(face.Box, square.X, square.Y, square.Side, source.Width, source.Height))
            {
                yield return (face, false);
            }
            else if (Math.Max(face.Box.Width, face.Box.Height) > CutFaceShare * square.Side)
            {
                yield return (face, true);
            }
        }
    }

    // Two views of one face whose rolls differ by more than this (degrees) disagree: one of them is wrong.
    private const double DisagreeingRoll = 20;

    // Adds a face as Add does, but when a view of it is already there and the two disagree on its roll, the more upright
    // view (Better) is no guide: a view is upright in its own look by definition of the roll its keypoints gave, and a
    // face rolled far in a look is often given keypoints nearly upright in that look (a head at +52° confirmed at +22°
    // beside its right view from the +45° look). Each view is then looked at in a square 2.5 times its size turned by its
    // roll: the right roll turns the face upright, where the model scores it surest, so the view whose look scores the
    // face higher (at that roll again, within RefineTilt) wins, as that look's view. Neither look finding it keeps Add's choice.
    private void AddSettled(SampleSource source, List<(DetectedFace Face, double Tilt)> faces, DetectedFace face, double angle)
    {
        int same = faces.FindIndex(f => SameFace(f.Face, face));
        if (same < 0 || AngleBetween(face.Roll, faces[same].Face.Roll) <= DisagreeingRoll)
        {
            Add(faces, face, angle);
            return;
        }

        DetectedFace? Again(DetectedFace view) =>
            DetectNear(source, view).Where(f => SameFace(f, view) && AngleBetween(f.Roll, view.Roll) <= RefineTilt).MaxBy(f => f.Score);
        var existing = faces[same].Face;
        var existingAgain = Again(existing);
        var faceAgain = Again(face);
        var (winner, view) = (existingAgain?.Score ?? 0) >= (faceAgain?.Score ?? 0) ? (existingAgain, existing) : (faceAgain, face);
        if (winner is null)
        {
            Add(faces, face, angle);
            return;
        }

        faces[same] = (winner, AngleBetween(winner.Roll, view.Roll));
    }

    // Adds a face seen by a look turned by the given angle, or keeps the better of its views when it is already there.
    private static void Add(List<(DetectedFace Face, double Tilt)> faces, DetectedFace face, double angle)
    {
        double tilt = AngleBetween(face.Roll, angle);
        int same = faces.FindIndex(f => SameFace(f.Face, face));
        if (same < 0)
        {
            faces.Add((face, tilt));
        }
        else if (Better(face, tilt, faces[same].Face, faces[same].Tilt))
        {
            faces[same] = (face, tilt);
        }
    }

    /// <summary>
    /// The tiled passes' squares (centre and side): for level L, squares of side (longer side) / 2^L on a grid
    /// that overlaps each neighbour by half and reaches the frame's edges.
    /// </summary>
    public IEnumerable<(double X, double Y, double Side)> Tiles(int width, int height)
    {
        if (Math.Max(width, height) < MinTiledSide)
        {
            yield break;
        }

        for (int level = 1; level <= LevelsFor(width, height); level++)
        {
            double tile = Math.Max(width, height) / Math.Pow(2, level);
            foreach (double y in Centres(height, tile))
            {
                foreach (double x in Centres(width, tile))
                {
                    yield return (x, y, tile);
                }
            }
        }

        static IEnumerable<double> Centres(int length, double tile)
        {
            if (tile >= length)
            {
                yield return length / 2.0;
                yield break;
            }

            int count = (int)Math.Ceiling((length - tile) / (tile / 2) - 1e-9) + 1;
            for (int i = 0; i < count; i++)
            {
                yield return (tile / 2) + ((length - tile) * i / (count - 1));
            }
        }
    }

    /// <summary>The levels of tiles of a frame: <see cref="TileLevels"/>, and with at least one, more while their squares are at least <see cref="MinTiledSide"/>.</summary>
    public int LevelsFor(int width, int height)
    {
        int levels = TileLevels;
        while (levels > 0 && Math.Max(width, height) / Math.Pow(2, levels + 1) >= MinTiledSide)
        {
            levels++;
        }

        return levels;
    }

    // Whether a box reaches an edge of the tile (centre cx, cy, side) that lies inside the frame.
    private static bool CutByTile(PixelRect box, double cx, double cy, double tile, int width, int height)
    {
        double left = cx - (tile / 2), right = cx + (tile / 2), top = cy - (tile / 2), bottom = cy + (tile / 2);
        double margin = tile * 0.02;
        return (left > 1 && box.X < left + margin) ||
            (top > 1 && box.Y < top + margin) ||
            (right < width - 1 && box.X + box.Width > right - margin) ||
            (bottom < height - 1 && box.Y + box.Height > bottom - margin);
    }

    // Of two views of one face: the more upright one (its keypoints are truer), else the surer one.
    private static bool Better(DetectedFace face, double tilt, DetectedFace other, double otherTilt) =>
        Math.Abs(tilt - otherTilt) > 10 ? tilt < otherTilt : face.Score > other.Score;

    public IReadOnlyList<DetectedFace> DetectNear(GrayImage gray, RgbaImage? color, DetectedFace near) =>
        DetectNear(new SampleSource(gray, color), near);

    // A candidate's closer look: a square 2.5 times its box turned by its roll, as a tracked face gets, but no larger than
    // CloserLookMaxShare of the frame. The box of a face a look scored low is often too large (a 150 px face drawn as a 220 px
    // box), and 2.5 times that is nearly the whole frame again: the face would fill its look no more than the first time.
    private IReadOnlyList<DetectedFace> CloserLook(SampleSource source, DetectedFace candidate)
    {
        var centre = candidate.Center;
        double side = CloserLookSide(candidate.Box, source.Width, source.Height);
        return DetectInSquare(source, centre.X, centre.Y, side, candidate.Roll);
    }

    /// <summary>The side of a candidate's closer look (<see cref="CloserLook"/>) in a frame of the given size.</summary>
    internal static double CloserLookSide(PixelRect box, int width, int height)
    {
        double side = Math.Max(box.Width, box.Height);
        return Math.Max(side * CloserLookMinScale, Math.Min(side * RegionScale, CloserLookMaxShare * Math.Max(width, height)));
    }

    private IReadOnlyList<DetectedFace> DetectNear(SampleSource source, DetectedFace near)
    {
        var centre = near.Center;
        double side = Math.Max(near.Box.Width, near.Box.Height) * RegionScale;
        return DetectInSquare(source, centre.X, centre.Y, side, near.Roll);
    }

    /// <summary>The difference of two angles in degrees, 0 to 180.</summary>
    private static double AngleBetween(double a, double b) => Math.Abs(Math.IEEERemainder(a - b, 360));

    private static bool SameFace(DetectedFace a, DetectedFace b)
    {
        double dx = a.Center.X - b.Center.X, dy = a.Center.Y - b.Center.Y;
        double size = 0.6 * Math.Min(a.Box.Width, b.Box.Width);
        return (dx * dx) + (dy * dy) < size * size;
    }

    /// <summary>
    /// Runs the model on the square of side <paramref name="side"/> centred at (cx, cy), turned clockwise by
    /// <paramref name="angle"/> degrees, and returns its faces in frame coordinates.
    /// </summary>
    internal IReadOnlyList<DetectedFace> DetectInSquare(SampleSource source, double cx, double cy, double side, double angle) =>
        DetectInSquare(source, cx, cy, side, angle, MinScore);

    // As above, keeping faces from the given score (NaN: the model's own threshold).
    private IReadOnlyList<DetectedFace> DetectInSquare(SampleSource source, double cx, double cy, double side, double angle, double minScore)
    {
        int n = Model.InputSize;
        double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        source.Sample(interpreter.Input(), n, cx, cy, side, cos, sin);
        interpreter.Run();
        ModelRuns++;
        minScore = double.IsNaN(minScore) ? Model.MinScoreThreshold : minScore;
        BlazeFaceDecoder.Decode(interpreter.Output(0), interpreter.Output(1), anchors, n, Math.Min(minScore, Model.MinScoreThreshold), decoded);
        if (decoded.Count == 0)
        {
            return Array.Empty<DetectedFace>(); // a look that finds nothing allocates nothing
        }

        var merged = BlazeFaceDecoder.WeightedNonMaxSuppression(decoded, Model.MinSuppressionThreshold);

        FacePoint ToFrame(float u, float v)
        {
            double px = (u - 0.5) * side, py = (v - 0.5) * side;
            return new FacePoint(cx + (cos * px) - (sin * py), cy + (sin * px) + (cos * py));
        }

        var faces = new List<DetectedFace>(merged.Count);
        foreach (var d in merged)
        {
            // Suppression merges with MediaPipe's threshold; the merged face must clear ours.
            if (d.Score < minScore)
            {
                continue;
            }

            var points = new FacePoint[BlazeFaceDecoder.Keypoints];
            for (int k = 0; k < points.Length; k++)
            {
                points[k] = ToFrame(d.Keypoints[2 * k], d.Keypoints[(2 * k) + 1]);
            }

            var centre = ToFrame((d.XMin + d.XMax) / 2, (d.YMin + d.YMax) / 2);
            double w = d.Width * side, h = d.Height * side;
            var box = new PixelRect((int)Math.Round(centre.X - (w / 2)), (int)Math.Round(centre.Y - (h / 2)), (int)Math.Round(w), (int)Math.Round(h));
            double roll = FaceLandmarks.RollDegrees(points[FaceLandmarks.RightEye], points[FaceLandmarks.LeftEye]);
            var face = new DetectedFace(box, d.Score, roll, points);
            if (!CheckLandmarks || PlausibleFace(face))
            {
                faces.Add(face);
            }
        }

        return faces;
    }

    /// <summary>
    /// Whether the six keypoints sit on a face the size of the box: the eyes apart by a share of the box's side
    /// that real faces show (0.1 to 0.6), the face's larger extent (the eye distance, or how far the mouth is below the
    /// eye line) at least 0.25 of the box, the nose below the eye line and the mouth below the nose (in the face's own
    /// upright frame), the nose no further beside the eyes' midpoint than 0.8 eye distances, and the eyes, nose and
    /// mouth inside the box. A face turned sideways (yaw) brings its eyes together but keeps its mouth as far below
    /// them: on the wild check (every look, upright, ±30° and small faces, no landmark check) the detections of true faces
    /// scored from 0.6 had eyes down to 0.12 box sides apart (heads in profile) and the false ones 0.24 or more, or under
    /// 0.06; a frontal face's eyes, 0.4 of its box, are 0.13 of a box three times its size, which the extent rule refuses.
    /// Of the detections scored from 0.6 there, 503 of 506 of true faces pass this and 23 of the 25 false ones (the
    /// score threshold does more); in the photo search it keeps a head in profile whose eyes were 0.16 apart.
    /// </summary>
    public static bool PlausibleFace(DetectedFace face)
    {
        var f = Features(face);
        return f.EyeDistance >= 0.1 && f.EyeDistance <= 0.6 && Math.Max(f.EyeDistance, f.MouthDrop) >= 0.25 && f.NoseDrop > 0 && f.MouthDrop > f.NoseDrop &&
            Math.Abs(f.NoseShift) <= 0.8 * f.EyeDistance && f.Outside < 0.15;
    }

    /// <summary>
    /// The keypoints in the face's upright frame, in box sides: the eye distance, how far below the eye line the nose and mouth
    /// are, how far the nose is beside the eyes' midpoint, and the farthest any of the eyes, nose and mouth lies outside the box.
    /// </summary>
    public static (double EyeDistance, double NoseDrop, double MouthDrop, double NoseShift, double Outside) Features(DetectedFace face)
    {
        double side = Math.Sqrt(Math.Max(1, face.Box.Area));
        var c = face.Center;
        double radians = -face.Roll * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        (double X, double Y) Upright(FacePoint p)
        {
            double dx = p.X - c.X, dy = p.Y - c.Y;
            return (((cos * dx) - (sin * dy)) / side, ((sin * dx) + (cos * dy)) / side);
        }

        var re = Upright(face.Landmarks[FaceLandmarks.RightEye]);
        var le = Upright(face.Landmarks[FaceLandmarks.LeftEye]);
        var nose = Upright(face.Landmarks[FaceLandmarks.NoseTip]);
        var mouth = Upright(face.Landmarks[FaceLandmarks.MouthCenter]);
        double eyes = Math.Sqrt(Math.Pow(le.X - re.X, 2) + Math.Pow(le.Y - re.Y, 2));
        double eyeLine = (re.Y + le.Y) / 2;
        double outside = new[] { re, le, nose, mouth }.Max(p => Math.Max(Math.Abs(p.X), Math.Abs(p.Y)) - 0.5);
        return (eyes, nose.Y - eyeLine, mouth.Y - eyeLine, nose.X - ((re.X + le.X) / 2), outside);
    }
}
