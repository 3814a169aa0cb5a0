using System.Numerics;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// The knobs of the drawn <c>facemoji</c> face. Every knob is a float, so two faces blend by blending their
/// numbers (<see cref="Blend"/>): a face that is 60% happy and 40% surprised is the 60/40 mix of the two
/// parameter sets, and a small change of the weights is a small change of the face.
/// </summary>
/// <remarks>
/// Face units: the head is the unit circle centred on (0, 0), y grows downward (as in images and SVG).
/// Colours are sRGB triples with components 0..1. Neutral values are the defaults of <see cref="Neutral"/>.
/// </remarks>
public sealed class FaceParameters
{
    private const int HeadTopIndex = 0;
    private const int HeadBottomIndex = 3;
    private const int Count = 24;

    private readonly float[] values;

    /// <summary>A calm, yellow, expressionless face: every knob at rest.</summary>
    public FaceParameters()
    {
        values = new float[Count];
        HeadTop = new Vector3(1.00f, 0.88f, 0.30f);
        HeadBottom = new Vector3(0.98f, 0.68f, 0.10f);
        EyeOpen = 1;
        MouthWidth = 0.3f;
    }

    /// <summary>A copy of <paramref name="other"/>, to be changed with an object initialiser.</summary>
    public FaceParameters(FaceParameters other)
    {
        values = (float[])other.values.Clone();
    }

    private FaceParameters(float[] values)
    {
        this.values = values;
    }

    /// <summary>The resting face, the base of every entry of the emotion table.</summary>
    public static FaceParameters Neutral { get; } = new();

    /// <summary>Head colour at the top of the head (vertical gradient).</summary>
    public Vector3 HeadTop { get => GetColor(HeadTopIndex); init => SetColor(HeadTopIndex, value); }

    /// <summary>Head colour at the chin.</summary>
    public Vector3 HeadBottom { get => GetColor(HeadBottomIndex); init => SetColor(HeadBottomIndex, value); }

    /// <summary>Brow tilt in radians: positive pulls the inner ends down (anger), negative raises them (worry, sadness).</summary>
    public float BrowAngle { get => values[6]; init => values[6] = value; }

    /// <summary>Brow lift in face units: positive raises the brows (surprise), negative lowers them toward the eyes.</summary>
    public float BrowHeight { get => values[7]; init => values[7] = value; }

    /// <summary>Brow opacity 0..1: happy and neutral faces have none.</summary>
    public float BrowAlpha { get => values[8]; init => values[8] = value; }

    /// <summary>Eye height relative to rest: 0 a slit, 1 rest, 1.5 wide open.</summary>
    public float EyeOpen { get => values[9]; init => values[9] = value; }

    /// <summary>0..1 morph of the oval eye into the closed, smiling arc (^ ^) of a laughing face.</summary>
    public float EyeArc { get => values[10]; init => values[10] = value; }

    /// <summary>0..1 morph of the solid dark eye into a white eye with a small pupil (fear, astonishment).</summary>
    public float EyeWhite { get => values[11]; init => values[11] = value; }

    /// <summary>Fraction 0..1 of the eye hidden by the upper lid (unamused, angry, sad).</summary>
    public float LidCut { get => values[12]; init => values[12] = value; }

    /// <summary>Lid slant in radians: positive lowers the lid toward the nose (anger), negative toward the temples (sadness).</summary>
    public float LidTilt { get => values[13]; init => values[13] = value; }

    /// <summary>Mouth bend: positive a smile (corners up), negative a frown.</summary>
    public float MouthCurve { get => values[14]; init => values[14] = value; }

    /// <summary>Mouth opening 0..1 (0 a closed line).</summary>
    public float MouthOpen { get => values[15]; init => values[15] = value; }

    /// <summary>Half the mouth width in face units.</summary>
    public float MouthWidth { get => values[16]; init => values[16] = value; }

    /// <summary>Waviness 0..1 of the lips (disgust, fear).</summary>
    public float MouthWave { get => values[17]; init => values[17] = value; }

    /// <summary>Upper teeth 0..1: 0 none, 1 a full row (a grin or gritted teeth).</summary>
    public float Teeth { get => values[18]; init => values[18] = value; }

    /// <summary>Tongue 0..1 at the bottom of an open mouth.</summary>
    public float Tongue { get => values[19]; init => values[19] = value; }

    /// <summary>Blush 0..1 of the cheeks.</summary>
    public float Cheeks { get => values[20]; init => values[20] = value; }

    /// <summary>Tears 0..1: a drop under each eye growing into a stream.</summary>
    public float Tears { get => values[21]; init => values[21] = value; }

    /// <summary>A cold sweat drop 0..1 on the forehead.</summary>
    public float Sweat { get => values[22]; init => values[22] = value; }

    /// <summary>The anger vein symbol 0..1 on the forehead.</summary>
    public float Vein { get => values[23]; init => values[23] = value; }

    /// <summary>Weighted mean of parameter sets; the weights need not sum to one, only to more than zero.</summary>
    public static FaceParameters Blend(ReadOnlySpan<(FaceParameters Face, float Weight)> faces)
    {
        var sum = new float[Count];
        float total = 0;
        foreach (var (face, weight) in faces)
        {
            if (!(weight >= 0) || float.IsInfinity(weight))
            {
                throw new ArgumentException($"Blend weights must be finite and non-negative, got {weight}.", nameof(faces));
            }

            total += weight;
            for (int i = 0; i < Count; i++)
            {
                sum[i] += weight * face.values[i];
            }
        }

        if (total <= 0)
        {
            throw new ArgumentException("Blend weights sum to zero.", nameof(faces));
        }

        for (int i = 0; i < Count; i++)
        {
            sum[i] /= total;
        }

        return new FaceParameters(sum);
    }

    /// <summary>The straight mix (1 - t) a + t b.</summary>
    public static FaceParameters Lerp(FaceParameters a, FaceParameters b, float t) => Blend([(a, 1 - t), (b, t)]);

    /// <summary>Largest absolute difference between two parameter sets: a distance for continuity tests.</summary>
    public static float MaxDifference(FaceParameters a, FaceParameters b)
    {
        float max = 0;
        for (int i = 0; i < Count; i++)
        {
            max = MathF.Max(max, MathF.Abs(a.values[i] - b.values[i]));
        }

        return max;
    }

    private Vector3 GetColor(int index) => new(values[index], values[index + 1], values[index + 2]);

    private void SetColor(int index, Vector3 color)
    {
        values[index] = color.X;
        values[index + 1] = color.Y;
        values[index + 2] = color.Z;
    }
}
