using System.Runtime.CompilerServices;
using Facemoji.Imaging;
using Facemoji.Vision.Cascades;

namespace Facemoji.Vision.Detection;

/// <summary>
/// A cascade compiled for one integral-buffer layout (row stride, tilted-table and square-table offsets): every
/// feature becomes offsets from the window origin, as OpenCV's <c>computeOptFeatures</c> does. <see cref="Run"/>
/// is OpenCV's <c>runAt</c>: variance normalisation over the inner window (x+1, y+1, w-2, h-2), then the stages
/// with the stump or tree predictor; it returns 1 (face), -1 (window refused before stage 0), or -stage.
/// </summary>
internal sealed unsafe partial class CascadeProgram
{
    private readonly CompiledStump[] stumps = [];
    private readonly CompiledNode[] nodes = [];
    private readonly CompiledLbpFeature[] lbp = [];
    private readonly float[] leaves;
    private readonly float[] stageThresholds;
    private readonly int[] stageWeakCounts;
    private readonly int[] weakNodeCounts;
    private readonly int[] stageFirstWeak;
    private readonly int[] weakFirstNode;
    private readonly int maxNodesPerTree;
    private readonly int norm0, norm1, norm2, norm3;
    private readonly int squaresOffset;
    private readonly double normArea;
    private readonly Kind kind;

    public CascadeProgram(CascadeClassifier cascade, int stride, int tiltedOffset, int squaresOffset)
    {
        Stride = stride;
        this.squaresOffset = squaresOffset;
        stageThresholds = cascade.StageThresholds;
        stageWeakCounts = cascade.StageWeakCounts;
        weakNodeCounts = cascade.WeakNodeCounts;
        leaves = cascade.Leaves;
        weakFirstNode = new int[weakNodeCounts.Length];
        for (int i = 1; i < weakFirstNode.Length; i++)
        {
            weakFirstNode[i] = weakFirstNode[i - 1] + weakNodeCounts[i - 1];
        }

        maxNodesPerTree = weakNodeCounts.Length == 0 ? 0 : weakNodeCounts.Max();
        stageFirstWeak = new int[stageWeakCounts.Length];
        for (int i = 1; i < stageFirstWeak.Length; i++)
        {
            stageFirstWeak[i] = stageFirstWeak[i - 1] + stageWeakCounts[i - 1];
        }

        int w = cascade.WindowWidth, h = cascade.WindowHeight;
        (norm0, norm1, norm2, norm3) = SumOffsets(new PixelRect(1, 1, w - 2, h - 2), stride);
        normArea = (double)(w - 2) * (h - 2);

        if (cascade.FeatureType == CascadeFeatureType.Haar)
        {
            kind = cascade.IsStumpBased ? Kind.HaarStumps : Kind.HaarTrees;
            if (cascade.IsStumpBased)
            {
                stumps = new CompiledStump[cascade.Nodes.Length];
                for (int i = 0; i < stumps.Length; i++)
                {
                    TreeNode node = cascade.Nodes[i];
                    ref CompiledStump s = ref stumps[i];
                    HaarFeature f = cascade.HaarFeatures[node.FeatureIndex];
                    (s.A0, s.B0, s.C0, s.D0) = RectOffsets(f.Rect0, f.Tilted, stride, tiltedOffset);
                    (s.A1, s.B1, s.C1, s.D1) = RectOffsets(f.Rect1, f.Tilted, stride, tiltedOffset);
                    (s.A2, s.B2, s.C2, s.D2) = RectOffsets(f.Rect2, f.Tilted, stride, tiltedOffset);
                    (s.Weight0, s.Weight1, s.Weight2) = (f.Rect0.Weight, f.Rect1.Weight, f.Rect2.Weight);
                    s.Threshold = node.Threshold;
                    s.Left = cascade.Leaves[2 * i];
                    s.Right = cascade.Leaves[2 * i + 1];
                }
            }
            else
            {
                nodes = new CompiledNode[cascade.Nodes.Length];
                for (int i = 0; i < nodes.Length; i++)
                {
                    TreeNode node = cascade.Nodes[i];
                    ref CompiledNode n = ref nodes[i];
                    HaarFeature f = cascade.HaarFeatures[node.FeatureIndex];
                    (n.A0, n.B0, n.C0, n.D0) = RectOffsets(f.Rect0, f.Tilted, stride, tiltedOffset);
                    (n.A1, n.B1, n.C1, n.D1) = RectOffsets(f.Rect1, f.Tilted, stride, tiltedOffset);
                    (n.A2, n.B2, n.C2, n.D2) = RectOffsets(f.Rect2, f.Tilted, stride, tiltedOffset);
                    (n.Weight0, n.Weight1, n.Weight2) = (f.Rect0.Weight, f.Rect1.Weight, f.Rect2.Weight);
                    n.Threshold = node.Threshold;
                    n.Left = node.Left;
                    n.Right = node.Right;
                }
            }
        }
        else
        {
            kind = cascade.IsStumpBased ? Kind.LbpStumps : Kind.LbpTrees;
            lbp = new CompiledLbpFeature[cascade.Nodes.Length];
            for (int i = 0; i < lbp.Length; i++)
            {
                TreeNode node = cascade.Nodes[i];
                ref CompiledLbpFeature l = ref lbp[i];
                PixelRect block = cascade.LbpBlocks[node.FeatureIndex];
                for (int r = 0; r < 4; r++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        l.Offsets[r * 4 + c] = (block.X + c * block.Width) + stride * (block.Y + r * block.Height);
                    }
                }

                for (int j = 0; j < 8; j++)
                {
                    l.Subset[j] = cascade.Subsets[i * 8 + j];
                }

                l.LeftChild = node.Left;
                l.RightChild = node.Right;
                if (cascade.IsStumpBased)
                {
                    l.Leaves[1] = cascade.Leaves[2 * i]; // subset bit set: left
                    l.Leaves[0] = cascade.Leaves[2 * i + 1];
                }
            }
        }
    }

    private enum Kind
    {
        HaarStumps,
        HaarTrees,
        LbpStumps,
        LbpTrees,
    }

    public int Stride { get; }

    /// <summary>Evaluates the window whose top-left table entry is <paramref name="window"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Run(int* window)
    {
        if (kind is Kind.LbpStumps)
        {
            return RunLbpStumps(window);
        }

        if (kind is Kind.LbpTrees)
        {
            return RunLbpTrees(window);
        }

        // HaarEvaluator::setWindow: the inverse standard deviation (times area) of the inner window.
        int valueSum = window[norm0] - window[norm1] - window[norm2] + window[norm3];
        int* squares = window + squaresOffset;
        uint squareSum = unchecked((uint)(squares[norm0] - squares[norm1] - squares[norm2] + squares[norm3]));
        double nf = normArea * squareSum - (double)valueSum * valueSum;
        if (!(nf > 0.0))
        {
            return -1;
        }

        float varianceNormFactor = (float)(1.0 / Math.Sqrt(nf));
        if (!(normArea * varianceNormFactor < 1e-1))
        {
            return -1;
        }

        return kind == Kind.HaarStumps ? RunHaarStumps(window, varianceNormFactor) : RunHaarTrees(window, varianceNormFactor);
    }

    // predictOrderedStump
    private int RunHaarStumps(int* p, float varianceNormFactor) => RunHaarStumpsFrom(p, varianceNormFactor, 0);

    /// <summary>The stump stages from <paramref name="firstStage"/> on (earlier stages already passed).</summary>
    private int RunHaarStumpsFrom(int* p, float varianceNormFactor, int firstStage)
    {
        fixed (CompiledStump* all = stumps)
        {
            CompiledStump* s = all + stageFirstWeak[firstStage];
            int stageCount = stageThresholds.Length;
            for (int stage = firstStage; stage < stageCount; stage++)
            {
                double sum = 0;
                int count = stageWeakCounts[stage];
                for (int i = 0; i < count; i++, s++)
                {
                    float value = s->Weight0 * (p[s->A0] - p[s->B0] - p[s->C0] + p[s->D0]) +
                                  s->Weight1 * (p[s->A1] - p[s->B1] - p[s->C1] + p[s->D1]);
                    if (s->Weight2 != 0f)
                    {
                        value += s->Weight2 * (p[s->A2] - p[s->B2] - p[s->C2] + p[s->D2]);
                    }

                    sum += value * varianceNormFactor < s->Threshold ? s->Left : s->Right;
                }

                if (sum < stageThresholds[stage])
                {
                    return -stage;
                }
            }
        }

        return 1;
    }

    // predictOrdered
    private int RunHaarTrees(int* p, float varianceNormFactor)
    {
        fixed (CompiledNode* all = nodes)
        fixed (float* leafValues = leaves)
        {
            int nodeStart = 0, leafStart = 0, weak = 0;
            for (int stage = 0; stage < stageThresholds.Length; stage++)
            {
                double sum = 0;
                int count = stageWeakCounts[stage];
                for (int i = 0; i < count; i++, weak++)
                {
                    int index = 0;
                    do
                    {
                        CompiledNode* n = all + nodeStart + index;
                        float value = n->Weight0 * (p[n->A0] - p[n->B0] - p[n->C0] + p[n->D0]) +
                                      n->Weight1 * (p[n->A1] - p[n->B1] - p[n->C1] + p[n->D1]);
                        if (n->Weight2 != 0f)
                        {
                            value += n->Weight2 * (p[n->A2] - p[n->B2] - p[n->C2] + p[n->D2]);
                        }

                        index = value * varianceNormFactor < n->Threshold ? n->Left : n->Right;
                    }
                    while (index > 0);

                    sum += leafValues[leafStart - index];
                    int nodeCount = weakNodeCounts[weak];
                    nodeStart += nodeCount;
                    leafStart += nodeCount + 1;
                }

                if (sum < stageThresholds[stage])
                {
                    return -stage;
                }
            }
        }

        return 1;
    }

    // predictCategoricalStump
    private int RunLbpStumps(int* p) => RunLbpStumpsFrom(p, 0);

    /// <summary>The LBP stump stages from <paramref name="firstStage"/> on (earlier stages already passed).</summary>
    private int RunLbpStumpsFrom(int* p, int firstStage)
    {
        fixed (CompiledLbpFeature* all = lbp)
        {
            CompiledLbpFeature* f = all + stageFirstWeak[firstStage];
            for (int stage = firstStage; stage < stageThresholds.Length; stage++)
            {
                double sum = 0;
                int count = stageWeakCounts[stage];
                for (int i = 0; i < count; i++, f++)
                {
                    int code = LbpCode(p, f->Offsets);
                    sum += f->Leaves[SubsetBit(f->Subset, code)];
                }

                if (sum < stageThresholds[stage])
                {
                    return -stage;
                }
            }
        }

        return 1;
    }

    // predictCategorical
    private int RunLbpTrees(int* p)
    {
        fixed (CompiledLbpFeature* all = lbp)
        fixed (float* leafValues = leaves)
        {
            int nodeStart = 0, leafStart = 0, weak = 0;
            for (int stage = 0; stage < stageThresholds.Length; stage++)
            {
                double sum = 0;
                int count = stageWeakCounts[stage];
                for (int i = 0; i < count; i++, weak++)
                {
                    int index = 0;
                    do
                    {
                        CompiledLbpFeature* f = all + nodeStart + index;
                        int code = LbpCode(p, f->Offsets);
                        index = SubsetBit(f->Subset, code) != 0 ? f->LeftChild : f->RightChild;
                    }
                    while (index > 0);

                    sum += leafValues[leafStart - index];
                    int nodeCount = weakNodeCounts[weak];
                    nodeStart += nodeCount;
                    leafStart += nodeCount + 1;
                }

                if (sum < stageThresholds[stage])
                {
                    return -stage;
                }
            }
        }

        return 1;
    }

    /// <summary>
    /// LBPEvaluator::OptFeature::calc: the 8 outer block sums against the centre, clockwise from top-left. Written
    /// without branches ((s - centre) &gt;&gt; 31 is -1 when s &lt; centre, else 0): the comparisons are unpredictable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LbpCode(int* p, int* o)
    {
        int centre = p[o[5]] - p[o[6]] - p[o[9]] + p[o[10]];
        return ((((p[o[0]] - p[o[1]] - p[o[4]] + p[o[5]]) - centre) >> 31) + 1) << 7 |
               ((((p[o[1]] - p[o[2]] - p[o[5]] + p[o[6]]) - centre) >> 31) + 1) << 6 |
               ((((p[o[2]] - p[o[3]] - p[o[6]] + p[o[7]]) - centre) >> 31) + 1) << 5 |
               ((((p[o[6]] - p[o[7]] - p[o[10]] + p[o[11]]) - centre) >> 31) + 1) << 4 |
               ((((p[o[10]] - p[o[11]] - p[o[14]] + p[o[15]]) - centre) >> 31) + 1) << 3 |
               ((((p[o[9]] - p[o[10]] - p[o[13]] + p[o[14]]) - centre) >> 31) + 1) << 2 |
               ((((p[o[8]] - p[o[9]] - p[o[12]] + p[o[13]]) - centre) >> 31) + 1) << 1 |
               ((((p[o[4]] - p[o[5]] - p[o[8]] + p[o[9]]) - centre) >> 31) + 1);
    }

    /// <summary>1 when bit <paramref name="code"/> of the 256-bit subset is set (the left branch), else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SubsetBit(int* subset, int code) => (int)((uint)subset[code >> 5] >> (code & 31)) & 1;

    private static (int, int, int, int) SumOffsets(PixelRect r, int stride) =>
        (r.X + stride * r.Y,
         r.X + r.Width + stride * r.Y,
         r.X + stride * (r.Y + r.Height),
         r.X + r.Width + stride * (r.Y + r.Height));

    // CV_SUM_OFS / CV_TILTED_OFS
    private static (int, int, int, int) RectOffsets(Cascades.HaarRect r, bool tilted, int stride, int tiltedOffset)
    {
        if (!tilted)
        {
            return SumOffsets(new PixelRect(r.X, r.Y, r.Width, r.Height), stride);
        }

        return (tiltedOffset + r.X + stride * r.Y,
                tiltedOffset + r.X - r.Height + stride * (r.Y + r.Height),
                tiltedOffset + r.X + r.Width + stride * (r.Y + r.Width),
                tiltedOffset + r.X + r.Width - r.Height + stride * (r.Y + r.Width + r.Height));
    }
}
