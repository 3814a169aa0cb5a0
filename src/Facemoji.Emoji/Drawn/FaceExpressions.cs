using System.Numerics;
using Facemoji.Expressions;

namespace Facemoji.Emoji.Drawn;

/// <summary>
/// The emotion table of the drawn face: each emotion at each intensity is one <see cref="FaceParameters"/>
/// set, modelled on the matching Noto emoji of <see cref="UnicodeEmoji"/>. A full probability vector becomes
/// one face by evaluating every emotion at the intensity its probability implies and blending the sets with
/// the probabilities as weights (<see cref="ForProbabilities"/>).
/// </summary>
internal static class FaceExpressions
{
    private static readonly FaceParameters Rest = FaceParameters.Neutral;

    private static readonly Vector3 Yellow = Rest.HeadTop;
    private static readonly Vector3 YellowBottom = Rest.HeadBottom;

    // [emotion, intensity]
    private static readonly FaceParameters[,] Table = BuildTable();

    /// <summary>The parameters of one emotion at one intensity.</summary>
    public static FaceParameters For(Emotion emotion, Intensity intensity) => Table[(int)emotion, (int)intensity];

    /// <summary>
    /// The parameters of one emotion at a continuous intensity level: 0 mild, 1 clear, 2 strong, linear in
    /// between (clamped), so that faces change smoothly with the probability.
    /// </summary>
    public static FaceParameters At(Emotion emotion, float level)
    {
        level = Math.Clamp(level, 0, 2);
        int low = Math.Min((int)level, 1);
        return FaceParameters.Lerp(Table[(int)emotion, low], Table[(int)emotion, low + 1], level - low);
    }

    /// <summary>
    /// Continuous intensity level of a probability: 0 (mild) up to 0.45, 1 (clear) at 0.675, 2 (strong) from 0.9,
    /// linear in between. The bins of <see cref="ExpressionReading.IntensityOf"/> (0.55, 0.80) fall mid-way.
    /// </summary>
    public static float LevelOf(float probability)
    {
        if (probability <= 0.45f)
        {
            return 0;
        }

        if (probability <= 0.675f)
        {
            return (probability - 0.45f) / 0.225f;
        }

        return Math.Min(2, 1 + (probability - 0.675f) / 0.225f);
    }

    /// <summary>
    /// The face of a whole probability vector (code order, 7 entries): each emotion at the level of its own
    /// probability, blended by probability. Continuous in the probabilities.
    /// </summary>
    public static FaceParameters ForProbabilities(IReadOnlyList<float> probabilities)
    {
        if (probabilities.Count != EmotionNames.Count)
        {
            throw new ArgumentException($"Expected {EmotionNames.Count} probabilities, got {probabilities.Count}.", nameof(probabilities));
        }

        Span<(FaceParameters, float)> parts = new (FaceParameters, float)[EmotionNames.Count];
        float total = 0;
        for (int i = 0; i < EmotionNames.Count; i++)
        {
            float p = probabilities[i];
            if (!float.IsFinite(p) || p < 0)
            {
                throw new ArgumentException($"Probability of {((Emotion)i).Name()} is {p}; expected a finite value >= 0.", nameof(probabilities));
            }

            parts[i] = (At((Emotion)i, LevelOf(p)), p);
            total += p;
        }

        return total > 0 ? FaceParameters.Blend(parts) : Table[(int)Emotion.Neutral, 0];
    }

    private static FaceParameters[,] BuildTable()
    {
        var table = new FaceParameters[EmotionNames.Count, 3];

        // 😶 😐 😑: a hint of a smile when unsure, a straight line, then flat lid-heavy eyes.
        table[(int)Emotion.Neutral, 0] = new FaceParameters(Rest) { MouthCurve = 0.06f, MouthWidth = 0.24f };
        table[(int)Emotion.Neutral, 1] = new FaceParameters(Rest) { MouthWidth = 0.3f };
        table[(int)Emotion.Neutral, 2] = new FaceParameters(Rest) { MouthWidth = 0.34f, EyeOpen = 0.25f };

        // 🙂 😀 😄
        table[(int)Emotion.Happy, 0] = new FaceParameters(Rest) { MouthCurve = 0.55f, MouthWidth = 0.44f, Cheeks = 0.25f };
        table[(int)Emotion.Happy, 1] = new FaceParameters(Rest)
        {
            MouthCurve = 0.6f, MouthOpen = 0.5f, MouthWidth = 0.5f, Teeth = 0.7f, Tongue = 0.35f, Cheeks = 0.4f, EyeOpen = 1.05f,
        };
        table[(int)Emotion.Happy, 2] = new FaceParameters(Rest)
        {
            MouthCurve = 0.7f, MouthOpen = 0.75f, MouthWidth = 0.54f, Teeth = 0.6f, Tongue = 0.6f, Cheeks = 0.7f, EyeArc = 1,
        };

        // 🙁 😢 😭
        table[(int)Emotion.Sad, 0] = new FaceParameters(Rest)
        {
            MouthCurve = -0.35f, MouthWidth = 0.32f, BrowAlpha = 0.85f, BrowAngle = -0.35f, BrowHeight = 0.02f, LidTilt = -0.2f, LidCut = 0.1f,
        };
        table[(int)Emotion.Sad, 1] = new FaceParameters(Rest)
        {
            MouthCurve = -0.5f, MouthWidth = 0.34f, BrowAlpha = 1, BrowAngle = -0.45f, BrowHeight = 0.03f, LidTilt = -0.3f, LidCut = 0.2f, Tears = 0.5f,
        };
        table[(int)Emotion.Sad, 2] = new FaceParameters(Rest)
        {
            MouthCurve = -0.6f, MouthOpen = 0.45f, MouthWidth = 0.38f, Teeth = 0.35f, Tongue = 0.4f,
            BrowAlpha = 1, BrowAngle = -0.5f, BrowHeight = 0.04f, LidTilt = -0.35f, LidCut = 0.35f, Tears = 1,
        };

        // 😤 😠 😡
        table[(int)Emotion.Angry, 0] = new FaceParameters(Rest)
        {
            MouthCurve = -0.25f, MouthWidth = 0.3f, BrowAlpha = 1, BrowAngle = 0.35f, BrowHeight = -0.03f, LidCut = 0.15f, LidTilt = 0.25f,
            HeadTop = Vector3.Lerp(Yellow, new Vector3(1.0f, 0.62f, 0.32f), 0.25f),
        };
        table[(int)Emotion.Angry, 1] = new FaceParameters(Rest)
        {
            MouthCurve = -0.45f, MouthWidth = 0.32f, BrowAlpha = 1, BrowAngle = 0.5f, BrowHeight = -0.05f, LidCut = 0.25f, LidTilt = 0.35f,
            HeadTop = new Vector3(1.0f, 0.62f, 0.30f), HeadBottom = new Vector3(0.96f, 0.55f, 0.16f),
        };
        table[(int)Emotion.Angry, 2] = new FaceParameters(Rest)
        {
            MouthCurve = -0.4f, MouthOpen = 0.35f, MouthWidth = 0.36f, Teeth = 1, BrowAlpha = 1, BrowAngle = 0.6f, BrowHeight = -0.06f,
            LidCut = 0.3f, LidTilt = 0.4f, Vein = 1,
            HeadTop = new Vector3(0.98f, 0.36f, 0.24f), HeadBottom = new Vector3(0.85f, 0.16f, 0.10f),
        };

        // 😒 🤢 🤮 (the drawn face keeps it to a queasy grimace)
        var green = new Vector3(0.62f, 0.80f, 0.36f);
        table[(int)Emotion.Disgust, 0] = new FaceParameters(Rest)
        {
            MouthCurve = -0.2f, MouthWave = 0.3f, MouthWidth = 0.28f, LidCut = 0.4f, BrowAlpha = 0.6f, BrowAngle = 0.12f, BrowHeight = -0.02f,
        };
        table[(int)Emotion.Disgust, 1] = new FaceParameters(Rest)
        {
            MouthCurve = -0.3f, MouthWave = 0.6f, MouthWidth = 0.32f, LidCut = 0.35f, BrowAlpha = 0.9f, BrowAngle = 0.3f, BrowHeight = -0.04f,
            HeadTop = Vector3.Lerp(Yellow, green, 0.6f), HeadBottom = Vector3.Lerp(YellowBottom, green, 0.25f),
        };
        table[(int)Emotion.Disgust, 2] = new FaceParameters(Rest)
        {
            MouthCurve = -0.35f, MouthWave = 0.5f, MouthOpen = 0.35f, MouthWidth = 0.36f, Teeth = 0.9f, LidCut = 0.5f,
            BrowAlpha = 1, BrowAngle = 0.35f, BrowHeight = -0.05f, HeadTop = green, HeadBottom = Vector3.Lerp(YellowBottom, green, 0.55f),
        };

        // 😟 😨 😱
        var fearBlue = new Vector3(0.56f, 0.76f, 1.00f);
        table[(int)Emotion.Fear, 0] = new FaceParameters(Rest)
        {
            MouthCurve = -0.35f, MouthWidth = 0.3f, BrowAlpha = 1, BrowAngle = -0.35f, BrowHeight = 0.04f, EyeOpen = 1.1f, EyeWhite = 0.25f,
        };
        table[(int)Emotion.Fear, 1] = new FaceParameters(Rest)
        {
            MouthCurve = -0.3f, MouthOpen = 0.3f, MouthWidth = 0.32f, MouthWave = 0.25f, Teeth = 0.7f, BrowAlpha = 1, BrowAngle = -0.45f,
            BrowHeight = 0.06f, EyeOpen = 1.3f, EyeWhite = 0.8f, Sweat = 0.7f, HeadTop = Vector3.Lerp(Yellow, fearBlue, 0.6f),
        };
        table[(int)Emotion.Fear, 2] = new FaceParameters(Rest)
        {
            MouthOpen = 0.9f, MouthWidth = 0.2f, BrowAlpha = 1, BrowAngle = -0.5f, BrowHeight = 0.09f, EyeOpen = 1.5f, EyeWhite = 1,
            Sweat = 1, HeadTop = fearBlue,
        };

        // 😯 😮 😲
        table[(int)Emotion.Surprise, 0] = new FaceParameters(Rest)
        {
            MouthOpen = 0.25f, MouthWidth = 0.12f, BrowAlpha = 0.8f, BrowAngle = -0.1f, BrowHeight = 0.06f, EyeOpen = 1.15f, EyeWhite = 0.2f,
        };
        table[(int)Emotion.Surprise, 1] = new FaceParameters(Rest)
        {
            MouthOpen = 0.45f, MouthWidth = 0.17f, BrowAlpha = 1, BrowAngle = -0.12f, BrowHeight = 0.1f, EyeOpen = 1.3f, EyeWhite = 0.6f,
        };
        table[(int)Emotion.Surprise, 2] = new FaceParameters(Rest)
        {
            MouthOpen = 0.7f, MouthWidth = 0.21f, BrowAlpha = 1, BrowAngle = -0.15f, BrowHeight = 0.14f, EyeOpen = 1.5f, EyeWhite = 1,
        };

        return table;
    }
}
