using System.Globalization;
using System.Xml;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Vision.Cascades;

/// <summary>
/// Reads OpenCV cascade XML the way OpenCV 4.6's <c>CascadeClassifierImpl::Data::read</c> does (new format) or its
/// <c>haar_cvt::convert</c> does (old <c>opencv-haar-classifier</c> format), into a <see cref="CascadeClassifier"/>.
/// Every structural problem becomes a <see cref="FacemojiException"/> that names the file, because a bad index
/// left unchecked here would become an out-of-range read in the detector.
/// </summary>
internal static class CascadeXmlReader
{
    private const long MaxFileBytes = 64L << 20;

    // OpenCV subtracts this from every stage threshold when it loads a cascade.
    private const float ThresholdEpsilon = 1e-5f;

    public static CascadeClassifier Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException(
                $"Cascade file '{path}' not found. Install Debian's opencv-data (`apt-get install opencv-data`) or pass --cascade PATH.");
        }

        // OpenCV's largest cascades are about 2 MB; a FIFO or a device is refused before it is opened.
        if (BoundedFile.Problem(path, MaxFileBytes) is { } problem)
        {
            throw new FacemojiException($"Cannot read cascade file '{path}': it {problem}.");
        }

        Element root;
        try
        {
            using var stream = File.OpenRead(path);
            root = Element.Load(stream);
        }
        catch (XmlException e)
        {
            throw new FacemojiException($"Cascade file '{path}' is not valid XML (line {e.LineNumber}): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"Cannot read cascade file '{path}': {e.Message}", e);
        }

        var context = new Context(path);
        if (root.Name != "opencv_storage" || root.Children.Count == 0)
        {
            throw context.Error("expected an <opencv_storage> element holding a cascade");
        }

        Element top = root.Children[0];
        if (top.Find("stageType") is not null)
        {
            return ReadNewFormat(top, context);
        }

        if (top.Find("size") is not null && top.Find("stages") is not null)
        {
            return ReadOldFormat(top, context);
        }

        throw context.Error($"<{top.Name}> is neither an opencv-cascade-classifier (no <stageType>) nor an opencv-haar-classifier (no <size>/<stages>)");
    }

    private static CascadeClassifier ReadNewFormat(Element top, Context context)
    {
        string stageType = top.Required("stageType", context).Text.Trim();
        if (stageType != "BOOST")
        {
            throw context.Error($"stageType '{stageType}' is not supported (only BOOST)");
        }

        string featureName = top.Required("featureType", context).Text.Trim();
        CascadeFeatureType featureType = featureName switch
        {
            "HAAR" => CascadeFeatureType.Haar,
            "LBP" => CascadeFeatureType.Lbp,
            _ => throw context.Error($"featureType '{featureName}' is not supported (only HAAR and LBP)"),
        };

        int width = context.Int(top.Required("width", context));
        int height = context.Int(top.Required("height", context));
        if (width <= 0 || height <= 0 || width > 4096 || height > 4096)
        {
            throw context.Error($"window size {width}x{height} is not valid");
        }

        Element featureParams = top.Required("featureParams", context);
        int categories = featureParams.Find("maxCatCount") is { } cat ? context.Int(cat) : 0;
        if (featureType == CascadeFeatureType.Lbp && categories != 256)
        {
            throw context.Error($"an LBP cascade needs maxCatCount 256, found {categories}");
        }

        if (featureType == CascadeFeatureType.Haar && categories != 0)
        {
            throw context.Error($"a HAAR cascade needs maxCatCount 0, found {categories}");
        }

        int subsetSize = (categories + 31) / 32;
        int nodeStep = 3 + (categories > 0 ? subsetSize : 1);

        var stageThresholds = new List<float>();
        var stageWeakCounts = new List<int>();
        var weakNodeCounts = new List<int>();
        var nodes = new List<TreeNode>();
        var leaves = new List<float>();
        var subsets = new List<int>();

        Element stages = top.Required("stages", context);
        foreach (Element stage in stages.Children)
        {
            int stageIndex = stageThresholds.Count;
            stageThresholds.Add((float)context.Double(stage.Required("stageThreshold", context)) - ThresholdEpsilon);
            Element weaks = stage.Required("weakClassifiers", context);
            if (weaks.Children.Count == 0)
            {
                throw context.Error($"stage {stageIndex} has no weak classifiers");
            }

            stageWeakCounts.Add(weaks.Children.Count);
            foreach (Element weak in weaks.Children)
            {
                string[] internalNodes = Tokens(weak.Required("internalNodes", context));
                string[] leafValues = Tokens(weak.Required("leafValues", context));
                if (internalNodes.Length == 0 || internalNodes.Length % nodeStep != 0)
                {
                    throw context.Error($"stage {stageIndex}: internalNodes has {internalNodes.Length} numbers, not a multiple of {nodeStep}");
                }

                int nodeCount = internalNodes.Length / nodeStep;
                if (leafValues.Length != nodeCount + 1)
                {
                    throw context.Error($"stage {stageIndex}: a tree of {nodeCount} nodes needs {nodeCount + 1} leaves, found {leafValues.Length}");
                }

                for (int n = 0; n < nodeCount; n++)
                {
                    int at = n * nodeStep;
                    int left = context.IntToken(internalNodes[at]);
                    int right = context.IntToken(internalNodes[at + 1]);
                    int feature = context.IntToken(internalNodes[at + 2]);
                    float threshold = 0f;
                    if (subsetSize > 0)
                    {
                        for (int j = 0; j < subsetSize; j++)
                        {
                            subsets.Add(context.IntToken(internalNodes[at + 3 + j]));
                        }
                    }
                    else
                    {
                        threshold = (float)context.DoubleToken(internalNodes[at + 3]);
                    }

                    nodes.Add(new TreeNode(left, right, feature, threshold));
                }

                foreach (string leaf in leafValues)
                {
                    leaves.Add((float)context.DoubleToken(leaf));
                }

                weakNodeCounts.Add(nodeCount);
            }
        }

        if (stageThresholds.Count == 0)
        {
            throw context.Error("the cascade has no stages");
        }

        Element features = top.Required("features", context);
        var haarFeatures = new List<HaarFeature>();
        var lbpBlocks = new List<PixelRect>();
        foreach (Element feature in features.Children)
        {
            if (featureType == CascadeFeatureType.Haar)
            {
                haarFeatures.Add(ReadHaarFeature(feature, context));
            }
            else
            {
                lbpBlocks.Add(ReadLbpBlock(feature, context));
            }
        }

        return Build(context, featureType, width, height, stageThresholds, stageWeakCounts, weakNodeCounts, nodes, leaves, subsets, haarFeatures, lbpBlocks);
    }

    private static HaarFeature ReadHaarFeature(Element feature, Context context)
    {
        Element rects = feature.Required("rects", context);
        if (rects.Children.Count is < 1 or > 3)
        {
            throw context.Error($"a Haar feature has {rects.Children.Count} rects (1 to 3 allowed)");
        }

        var r = new HaarRect[3];
        for (int i = 0; i < rects.Children.Count; i++)
        {
            string[] t = Tokens(rects.Children[i]);
            if (t.Length != 5)
            {
                throw context.Error($"a Haar rect needs 5 numbers (x y width height weight), found '{rects.Children[i].Text.Trim()}'");
            }

            r[i] = new HaarRect(context.IntToken(t[0]), context.IntToken(t[1]), context.IntToken(t[2]), context.IntToken(t[3]), (float)context.DoubleToken(t[4]));
        }

        bool tilted = feature.Find("tilted") is { } tiltedNode && context.Int(tiltedNode) != 0;
        return new HaarFeature(r[0], r[1], r[2], tilted);
    }

    private static PixelRect ReadLbpBlock(Element feature, Context context)
    {
        string[] t = Tokens(feature.Required("rect", context));
        if (t.Length != 4)
        {
            throw context.Error("an LBP feature rect needs 4 numbers (x y width height)");
        }

        return new PixelRect(context.IntToken(t[0]), context.IntToken(t[1]), context.IntToken(t[2]), context.IntToken(t[3]));
    }

    /// <summary>The old format: every node carries its own feature and either a leaf value or a child index per side.</summary>
    private static CascadeClassifier ReadOldFormat(Element top, Context context)
    {
        string[] size = Tokens(top.Required("size", context));
        if (size.Length != 2)
        {
            throw context.Error("<size> needs two numbers (width height)");
        }

        int width = context.IntToken(size[0]);
        int height = context.IntToken(size[1]);
        if (width <= 0 || height <= 0 || width > 4096 || height > 4096)
        {
            throw context.Error($"window size {width}x{height} is not valid");
        }

        var stageThresholds = new List<float>();
        var stageWeakCounts = new List<int>();
        var weakNodeCounts = new List<int>();
        var nodes = new List<TreeNode>();
        var leaves = new List<float>();
        var haarFeatures = new List<HaarFeature>();

        foreach (Element stage in top.Required("stages", context).Children)
        {
            int stageIndex = stageThresholds.Count;
            stageThresholds.Add((float)context.Double(stage.Required("stage_threshold", context)) - ThresholdEpsilon);
            Element trees = stage.Required("trees", context);
            if (trees.Children.Count == 0)
            {
                throw context.Error($"stage {stageIndex} has no trees");
            }

            stageWeakCounts.Add(trees.Children.Count);
            foreach (Element tree in trees.Children)
            {
                var treeLeaves = new List<float>();
                foreach (Element node in tree.Children)
                {
                    haarFeatures.Add(ReadHaarFeature(node.Required("feature", context), context));
                    float threshold = (float)context.Double(node.Required("threshold", context));
                    int left = Child(node, "left_val", "left_node", treeLeaves, context);
                    int right = Child(node, "right_val", "right_node", treeLeaves, context);
                    nodes.Add(new TreeNode(left, right, haarFeatures.Count - 1, threshold));
                }

                if (tree.Children.Count == 0 || treeLeaves.Count != tree.Children.Count + 1)
                {
                    throw context.Error($"stage {stageIndex}: a tree of {tree.Children.Count} nodes has {treeLeaves.Count} leaves");
                }

                leaves.AddRange(treeLeaves);
                weakNodeCounts.Add(tree.Children.Count);
            }
        }

        if (stageThresholds.Count == 0)
        {
            throw context.Error("the cascade has no stages");
        }

        return Build(context, CascadeFeatureType.Haar, width, height, stageThresholds, stageWeakCounts, weakNodeCounts, nodes, leaves, [], haarFeatures, []);
    }

    private static int Child(Element node, string valueName, string nodeName, List<float> treeLeaves, Context context)
    {
        if (node.Find(valueName) is { } value)
        {
            treeLeaves.Add((float)context.Double(value));
            return -(treeLeaves.Count - 1);
        }

        return context.Int(node.Required(nodeName, context));
    }

    private static CascadeClassifier Build(
        Context context,
        CascadeFeatureType featureType,
        int width,
        int height,
        List<float> stageThresholds,
        List<int> stageWeakCounts,
        List<int> weakNodeCounts,
        List<TreeNode> nodes,
        List<float> leaves,
        List<int> subsets,
        List<HaarFeature> haarFeatures,
        List<PixelRect> lbpBlocks)
    {
        int featureCount = featureType == CascadeFeatureType.Haar ? haarFeatures.Count : lbpBlocks.Count;
        int nodeStart = 0;
        foreach (int nodeCount in weakNodeCounts)
        {
            for (int n = nodeStart; n < nodeStart + nodeCount; n++)
            {
                TreeNode node = nodes[n];
                if ((uint)node.FeatureIndex >= (uint)featureCount)
                {
                    throw context.Error($"a node uses feature {node.FeatureIndex} but the cascade has {featureCount} features");
                }

                // Children: 1..nodeCount-1 are nodes of the same tree, 0..-nodeCount are leaves.
                if (node.Left >= nodeCount || node.Left < -nodeCount || node.Right >= nodeCount || node.Right < -nodeCount)
                {
                    throw context.Error($"a tree node points at child {node.Left}/{node.Right} outside its tree of {nodeCount} nodes");
                }
            }

            nodeStart += nodeCount;
        }

        foreach (HaarFeature f in haarFeatures)
        {
            foreach (HaarRect r in (ReadOnlySpan<HaarRect>)[f.Rect0, f.Rect1, f.Rect2])
            {
                if (r.Weight == 0f && r.Width == 0 && r.Height == 0)
                {
                    continue;
                }

                bool inside = f.Tilted
                    ? r.Width >= 0 && r.Height >= 0 && r.X - r.Height >= 0 && r.X + r.Width <= width && r.Y >= 0 && r.Y + r.Width + r.Height <= height
                    : r.X >= 0 && r.Y >= 0 && r.Width >= 0 && r.Height >= 0 && r.X + r.Width <= width && r.Y + r.Height <= height;
                if (!inside)
                {
                    throw context.Error($"a Haar rect ({r.X} {r.Y} {r.Width} {r.Height}) lies outside the {width}x{height} window");
                }
            }
        }

        foreach (PixelRect b in lbpBlocks)
        {
            if (b.X < 0 || b.Y < 0 || b.Width <= 0 || b.Height <= 0 || b.X + 3 * b.Width > width || b.Y + 3 * b.Height > height)
            {
                throw context.Error($"an LBP block ({b.X} {b.Y} {b.Width} {b.Height}) lies outside the {width}x{height} window");
            }
        }

        return new CascadeClassifier(
            context.Path,
            featureType,
            width,
            height,
            [.. stageThresholds],
            [.. stageWeakCounts],
            [.. weakNodeCounts],
            [.. nodes],
            [.. leaves],
            [.. subsets],
            [.. haarFeatures],
            [.. lbpBlocks]);
    }

    private static string[] Tokens(Element element) =>
        element.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private sealed class Context(string path)
    {
        public string Path { get; } = path;

        public FacemojiException Error(string problem) => new($"Cascade file '{Path}' is malformed: {problem}.");

        public int Int(Element element)
        {
            string[] t = Tokens(element);
            return t.Length == 1 ? IntToken(t[0]) : throw Error($"<{element.Name}> should hold one integer, found '{element.Text.Trim()}'");
        }

        public double Double(Element element)
        {
            string[] t = Tokens(element);
            return t.Length == 1 ? DoubleToken(t[0]) : throw Error($"<{element.Name}> should hold one number, found '{element.Text.Trim()}'");
        }

        /// <summary>An integer as OpenCV's FileStorage reads one: 32-bit wrap for big literals (LBP subsets), rounding for reals.</summary>
        public int IntToken(string token)
        {
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                return unchecked((int)value);
            }

            double real = DoubleToken(token);
            return real is >= int.MinValue and <= int.MaxValue ? (int)Math.Round(real) : throw Error($"'{token}' is not an integer");
        }

        public double DoubleToken(string token) =>
            double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                ? value
                : throw Error($"'{token}' is not a number");
    }

    /// <summary>A minimal element tree (name, text, children) built with <see cref="XmlReader"/>; comments are skipped.</summary>
    private sealed class Element(string name)
    {
        public string Name { get; } = name;

        public string Text { get; private set; } = string.Empty;

        public List<Element> Children { get; } = [];

        public Element? Find(string name)
        {
            foreach (Element child in Children)
            {
                if (child.Name == name)
                {
                    return child;
                }
            }

            return null;
        }

        public Element Required(string name, Context context) =>
            Find(name) ?? throw context.Error($"<{Name}> has no <{name}>");

        public static Element Load(Stream stream)
        {
            var settings = new XmlReaderSettings
            {
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            };
            using var reader = XmlReader.Create(stream, settings);
            var stack = new Stack<Element>();
            Element? root = null;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var element = new Element(reader.LocalName);
                        if (stack.Count > 0)
                        {
                            stack.Peek().Children.Add(element);
                        }
                        else
                        {
                            root ??= element;
                        }

                        if (!reader.IsEmptyElement)
                        {
                            stack.Push(element);
                        }

                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                        if (stack.Count > 0)
                        {
                            stack.Peek().Text += " " + reader.Value;
                        }

                        break;
                    case XmlNodeType.EndElement:
                        stack.Pop();
                        break;
                }
            }

            return root ?? throw new XmlException("the file holds no XML element");
        }
    }
}
