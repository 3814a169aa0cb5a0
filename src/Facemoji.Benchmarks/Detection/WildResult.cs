namespace Facemoji.Benchmarks.Detection;

/// <summary>One detector's counts on the <see cref="WildCheck"/>: per transform faces found and expressions right, and false positives.</summary>
public sealed class WildResult(string detector)
{
    private readonly Dictionary<string, (int Faces, int Found, int Labelled, int Right)> counts = new(StringComparer.Ordinal);

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

    public void AddFace(string transform, bool found, bool? expressionRight, bool labelled, int otherDetections = 0)
    {
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

    private static double Percent(int part, int whole) => whole == 0 ? double.NaN : 100.0 * part / whole;
}
