using Facemoji.Imaging;

namespace Facemoji.Pipeline.Tracking;

/// <summary>
/// Follows faces across frames by greedy IoU matching: each new detection joins the unclaimed track it overlaps
/// most (at least <see cref="MinimumIoU"/>), or starts a new track. A track is shown, and gets the next id, once
/// it has been detected in <see cref="ConfirmFrames"/> frames: a one-frame false detection (a badge, a
/// pattern in the background) never shows, at the cost of a new face appearing one frame late. Faces of the very
/// first frame are shown at once (there is nothing to confirm them against, and a one-frame video must have
/// faces), but stay unconfirmed: one that is not found again in the next frame is dropped, never coasted. An unconfirmed
/// track that misses a frame is dropped. A confirmed track that finds no detection coasts on its last box for
/// up to <see cref="CoastFrames"/> frames (a missed detection does not make the emoji blink), and is dropped
/// after <see cref="ForgetFrames"/>.
/// </summary>
internal sealed class FaceTracker
{
    public const double MinimumIoU = 0.3;
    public const int ConfirmFrames = 2;
    public const int CoastFrames = 5;
    public const int ForgetFrames = 15;

    // How far a box moves toward the new detection each frame: damps the detector's jitter.
    private const double BoxSmoothing = 0.6;

    private readonly List<Track> tracks = [];
    private int nextId = 1;
    private int updates;

    /// <summary>Boxes of every live track, confirmed or not: where the video path looks for faces next.</summary>
    public IReadOnlyList<PixelRect> ActiveBoxes => tracks.Select(t => t.Box).ToList();

    /// <summary>
    /// Takes the faces found in a frame (box and raw probabilities) and returns the faces to show, ordered by id.
    /// </summary>
    public IReadOnlyList<TrackedFace> Update(IReadOnlyList<(PixelRect Box, float[] Probabilities)> detections, double secondsSinceLast) =>
        UpdateScored(detections.Select(d => (d.Box, d.Probabilities, 1.0)).ToList(), secondsSinceLast);

    /// <summary>
    /// As <see cref="Update(IReadOnlyList{ValueTuple{PixelRect, float[]}}, double)"/>, with each detection's score
    /// (the detector's confidence, [0, 1]): a track carries the mean score of its detections and its hit count,
    /// which <see cref="MainFaceChooser"/> uses.
    /// </summary>
    public IReadOnlyList<TrackedFace> UpdateScored(IReadOnlyList<(PixelRect Box, float[] Probabilities, double Score)> detections, double secondsSinceLast) =>
        UpdateRolled(detections.Select(d => (d.Box, d.Probabilities, d.Score, (double?)null)).ToList(), secondsSinceLast);

    /// <summary>
    /// As <see cref="UpdateScored"/>, with each detection's roll (degrees, clockwise; null from a detector without
    /// landmarks): a track's roll follows its detections, smoothed like its box and the short way round the circle,
    /// so an emoji drawn over the face turns with the head.
    /// </summary>
    public IReadOnlyList<TrackedFace> UpdateRolled(IReadOnlyList<(PixelRect Box, float[] Probabilities, double Score, double? Roll)> detections, double secondsSinceLast)
    {
        bool firstFrame = updates++ == 0;
        var claimed = new bool[tracks.Count];
        var assigned = new Track?[detections.Count];
        var pairs = new List<(double IoU, int Detection, int Track)>();
        for (int d = 0; d < detections.Count; d++)
        {
            for (int t = 0; t < tracks.Count; t++)
            {
                double iou = detections[d].Box.IoU(tracks[t].Box);
                if (iou >= MinimumIoU)
                {
                    pairs.Add((iou, d, t));
                }
            }
        }

        foreach (var (_, d, t) in pairs.OrderByDescending(p => p.IoU))
        {
            if (assigned[d] is null && !claimed[t])
            {
                claimed[t] = true;
                assigned[d] = tracks[t];
            }
        }

        foreach (var track in tracks)
        {
            track.FramesSinceSeen++;
            track.SecondsSinceReading += secondsSinceLast;
        }

        for (int d = 0; d < detections.Count; d++)
        {
            var (box, probabilities, score, roll) = detections[d];
            var track = assigned[d];
            if (track is null)
            {
                track = new Track(box) { Roll = roll };
                tracks.Add(track);
                if (firstFrame)
                {
                    track.ShownUnconfirmed = true;
                    track.Id = nextId++;
                }
            }
            else
            {
                track.Box = Blend(track.Box, box, BoxSmoothing);
                track.Roll = BlendAngle(track.Roll, roll, BoxSmoothing);
            }

            track.Reading = track.Smoother.Update(probabilities, track.SecondsSinceReading);
            track.SecondsSinceReading = 0;
            track.FramesSinceSeen = 0;
            track.Hits++;
            track.ScoreSum += score;
            if (track.Hits == ConfirmFrames && track.Id == 0)
            {
                // Ids go to confirmed tracks only, so they count faces, not passing false detections.
                track.Id = nextId++;
            }
        }

        tracks.RemoveAll(t => t.FramesSinceSeen > ForgetFrames || (t.FramesSinceSeen > 0 && t.Hits < ConfirmFrames));
        return tracks
            .Where(t => t.Reading is not null && (t.Hits >= ConfirmFrames ? t.FramesSinceSeen <= CoastFrames : t.ShownUnconfirmed && t.FramesSinceSeen == 0))
            .OrderBy(t => t.Id)
            .Select(t => new TrackedFace(t.Id, t.Box, t.Reading!, t.FramesSinceSeen) { Score = t.ScoreSum / t.Hits, Hits = t.Hits, Roll = t.Roll })
            .ToList();
    }

    private static PixelRect Blend(PixelRect from, PixelRect to, double amount)
    {
        static int Mix(int a, int b, double w) => (int)Math.Round(a + (b - a) * w);
        return new PixelRect(Mix(from.X, to.X, amount), Mix(from.Y, to.Y, amount), Mix(from.Width, to.Width, amount), Mix(from.Height, to.Height, amount));
    }

    // The angle moved toward the new one by the shorter way round (350° to 10° passes 0°), in (-180, 180].
    private static double? BlendAngle(double? from, double? to, double amount)
    {
        if (from is not { } a || to is not { } b)
        {
            return to;
        }

        double mixed = a + (Math.IEEERemainder(b - a, 360) * amount);
        double wrapped = Math.IEEERemainder(mixed, 360);
        return wrapped == -180 ? 180 : wrapped;
    }

    private sealed class Track(PixelRect box)
    {
        public int Id { get; set; }

        public PixelRect Box { get; set; } = box;

        public double? Roll { get; set; }

        public ExpressionSmoother Smoother { get; } = new();

        public Facemoji.Expressions.ExpressionReading? Reading { get; set; }

        public int FramesSinceSeen { get; set; }

        public int Hits { get; set; }

        public double ScoreSum { get; set; }

        /// <summary>A track of the first frame: shown before it is confirmed.</summary>
        public bool ShownUnconfirmed { get; set; }

        public double SecondsSinceReading { get; set; }
    }
}
