namespace Facemoji.Pipeline.Tracking;

/// <summary>
/// Picks the main face of a live stream (the one whose reading the panel shows) among the tracker's faces: only a
/// track detected in at least <see cref="MinimumHits"/> frames with a mean detector score of at least
/// <see cref="MinimumScore"/> may be chosen, so a one-frame or low-score box (a pattern in the background) never
/// is. The choice is kept while its track stays eligible (the panel does not flicker between faces); a new choice
/// goes to the highest detector score, then the longest-seen track, then the larger box. Not thread-safe.
/// </summary>
public sealed class MainFaceChooser
{
    public const int MinimumHits = 3;

    /// <summary>
    /// 0.4 is 7 grouped neighbours for the cascades (<see cref="Vision.Detection.CascadeFaceDetector.NeighbourScore"/>):
    /// the sample frame's background false detection has 6 (0.375), her face 41 (0.80); BlazeFace keeps boxes from 0.5.
    /// </summary>
    public const double MinimumScore = 0.4;

    // Scores this close count as equal: persistence, then size decide.
    private const double ScoreTie = 0.05;

    /// <summary>The track id of the current choice, or null.</summary>
    public int? MainTrack { get; private set; }

    /// <summary>Takes the faces of a frame (as <see cref="FaceTracker.UpdateScored"/> returns them) and returns the main one, or null.</summary>
    public TrackedFace? Choose(IReadOnlyList<TrackedFace> faces)
    {
        var eligible = faces.Where(f => f.Hits >= MinimumHits && f.Score >= MinimumScore).ToList();
        var kept = eligible.FirstOrDefault(f => f.TrackId == MainTrack);
        if (kept is not null)
        {
            return kept;
        }

        TrackedFace? best = null;
        foreach (var face in eligible)
        {
            if (best is null || IsBetter(face, best))
            {
                best = face;
            }
        }

        MainTrack = best?.TrackId;
        return best;
    }

    private static bool IsBetter(TrackedFace face, TrackedFace best)
    {
        if (Math.Abs(face.Score - best.Score) > ScoreTie)
        {
            return face.Score > best.Score;
        }

        if (face.Hits != best.Hits)
        {
            return face.Hits > best.Hits;
        }

        return face.Box.Area > best.Box.Area;
    }
}
