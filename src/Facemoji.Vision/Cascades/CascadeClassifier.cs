using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Vision.Cascades;

/// <summary>
/// A boosted cascade of weak trees read from an OpenCV XML file (the files of Debian's <c>opencv-data</c>),
/// held in flat arrays in the order OpenCV 4.6 evaluates them. <see cref="Detection.FaceDetector"/> runs it.
/// </summary>
public sealed class CascadeClassifier
{
    /// <summary>Where Debian's opencv-data puts the default frontal face cascade.</summary>
    public const string DefaultPath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

    internal CascadeClassifier(
        string sourcePath,
        CascadeFeatureType featureType,
        int windowWidth,
        int windowHeight,
        float[] stageThresholds,
        int[] stageWeakCounts,
        int[] weakNodeCounts,
        TreeNode[] nodes,
        float[] leaves,
        int[] subsets,
        HaarFeature[] haarFeatures,
        PixelRect[] lbpBlocks)
    {
        SourcePath = sourcePath;
        FeatureType = featureType;
        WindowWidth = windowWidth;
        WindowHeight = windowHeight;
        StageThresholds = stageThresholds;
        StageWeakCounts = stageWeakCounts;
        WeakNodeCounts = weakNodeCounts;
        Nodes = nodes;
        Leaves = leaves;
        Subsets = subsets;
        HaarFeatures = haarFeatures;
        LbpBlocks = lbpBlocks;
        IsStumpBased = weakNodeCounts.All(n => n == 1);
        HasTiltedFeatures = haarFeatures.Any(f => f.Tilted);
    }

    /// <summary>The file the cascade came from (named in error messages).</summary>
    public string SourcePath { get; }

    public CascadeFeatureType FeatureType { get; }

    /// <summary>Width of the detection window the cascade was trained on (OpenCV's origWinSize).</summary>
    public int WindowWidth { get; }

    public int WindowHeight { get; }

    public int StageCount => StageThresholds.Length;

    public int WeakClassifierCount => WeakNodeCounts.Length;

    /// <summary>True when every weak tree is a single split (OpenCV then uses its stump fast path).</summary>
    public bool IsStumpBased { get; }

    public bool HasTiltedFeatures { get; }

    /// <summary>Stage thresholds with OpenCV's THRESHOLD_EPS (1e-5) already subtracted.</summary>
    internal float[] StageThresholds { get; }

    internal int[] StageWeakCounts { get; }

    internal int[] WeakNodeCounts { get; }

    /// <summary>All nodes of all trees, tree after tree.</summary>
    internal TreeNode[] Nodes { get; }

    /// <summary>All leaves, tree after tree; a tree of n nodes has n + 1 leaves.</summary>
    internal float[] Leaves { get; }

    /// <summary>LBP only: 8 ints (256 bits) per node, node after node.</summary>
    internal int[] Subsets { get; }

    internal HaarFeature[] HaarFeatures { get; }

    /// <summary>LBP only: the block rectangle of each feature (the feature spans a 3x3 grid of such blocks).</summary>
    internal PixelRect[] LbpBlocks { get; }

    /// <summary>Reads an OpenCV cascade XML file (new <c>opencv-cascade-classifier</c> or old <c>opencv-haar-classifier</c> format).</summary>
    /// <exception cref="FacemojiException">The file is missing, unreadable or not a valid cascade; the message names it.</exception>
    public static CascadeClassifier Load(string path) => CascadeXmlReader.Read(path);

    /// <summary>Loads <see cref="DefaultPath"/>, with an error that says how to get it when it is missing.</summary>
    public static CascadeClassifier LoadDefault() => Load(DefaultPath);
}
