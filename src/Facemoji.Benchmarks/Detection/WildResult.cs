namespace Facemoji.Benchmarks.Detection;

/// <summary>One detector's counts on the <see cref="WildCheck"/>: per transform faces found and expressions right, and false positives.</summary>
public sealed class WildResult(string detector)
{
    private readonly Dictionary<string, (int Faces, int Found, int Labelled, int Right)> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> rollErrors = new(StringComparer.Ordinal);

    /// <summary>A roll error above this many degrees counts as a wrong roll (<see cref="WrongRollPercent"/>).</summary>
    public const double WrongRollDegrees = 20;

    public string Detector { get; } = detector;

    public int FaceFreeImages { get; private set; }

    public int FalsePositives { get; private set; }

    public double FalsePositivesPerImage => FaceFreeImages == 0 ? 0 : (double)FalsePositives / FaceFreeImages;

    /// <summary>Pictures with a face, all transforms together.</summary>
    public int FaceImages { get; private set; }

    /// <summary>Detections in the pictures with a face that are not that face (each picture holds one face).</summary>
    public int FalseBesideFaces { get; private set; }

    /// <summary>False detections beside the face, per picture with a face: the false positives of real photos, whose backgrounds are not face-free.</summary>
    public double FalseBesideFacesPerImage => FaceImages == 0 ? 0 : (double)FalseBesideFaces / FaceImages;

    /// <summary>Model runs (looks) per picture, face-free ones included, for a detector that counts them (BlazeFace); else null.</summary>
    public double? LooksPerImage { get; set; }

    public void AddFaceFree(int detections)
    {
        FaceFreeImages++;
        FalsePositives += detections;
    }

    /// <summary>
    /// Counts one picture with a face; <paramref name="rollError"/> is how far the found face's roll is from the true one
    /// (degrees, 0-180), null where it is not measured (not found, or the transform that gives the reference).
    /// </summary>
    public void AddFace(string transform, bool found, bool? expressionRight, bool labelled, int otherDetections = 0, double? rollError = null)
    {
        if (rollError is { } error)
        {
            if (!rollErrors.TryGetValue(transform, out var errors))
            {
                rollErrors[transform] = errors = [];
            }

            errors.Add(error);
        }

        FaceImages++;
        FalseBesideFaces += otherDetections;
        var c = counts.GetValueOrDefault(transform);
        counts[transform] = (c.Faces + 1, c.Found + (found ? 1 : 0), c.Labelled + (labelled ? 1 : 0), c.Right + (expressionRight == true ? 1 : 0));
    }

    public int Faces(string transform) => counts.GetValueOrDefault(transform).Faces;

    /// <summary>Faces found, percent of the faces of that transform.</summary>
    public double FoundPercent(string transform) => Percent(counts.GetValueOrDefault(transform).Found, counts.GetValueOrDefault(transform).Faces);

    /// <summary>Expressions read right, percent of the labelled faces of that transform (a missed face counts as wrong).</summary>
    public double AccuracyPercent(string transform) => Percent(counts.GetValueOrDefault(transform).Right, counts.GetValueOrDefault(transform).Labelled);

    /// <summary>Found faces whose roll was measured under that transform.</summary>
    public int RollMeasured(string transform) => rollErrors.GetValueOrDefault(transform)?.Count ?? 0;

    /// <summary>The median absolute roll error of the found faces of that transform, degrees; NaN where none was measured.</summary>
    public double MedianRollError(string transform)
    {
        var errors = rollErrors.GetValueOrDefault(transform);
        if (errors is null || errors.Count == 0)
        {
            return double.NaN;
        }

        var sorted = errors.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Percent of the measured found faces of that transform whose roll is off by more than <see cref="WrongRollDegrees"/>.</summary>
    public double WrongRollPercent(string transform)
    {
        var errors = rollErrors.GetValueOrDefault(transform);
        return errors is null ? double.NaN : Percent(errors.Count(e => e > WrongRollDegrees), errors.Count);
    }

    private static double Percent(int part, int whole) => whole == 0 ? double.NaN : 100.0 * part / whole;
}
