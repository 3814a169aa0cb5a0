using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Facemoji.Imaging;

namespace Facemoji.Vision.Detection;

/// <summary>
/// Scanning one row of window positions. The plain path calls <see cref="Run"/> per position, exactly OpenCV's
/// loop. The Vector256 path (Haar stumps, the default face cascade) evaluates 8 consecutive positions at once:
/// contiguous positions read contiguous table entries, so every rectangle corner is one vector load. The lanes
/// do the same IEEE operations in the same order as the scalar code (no fused multiply-add; stage sums in
/// double), so the two paths agree bit for bit; the tests compare them. OpenCV's "rejected by the first stage:
/// skip the next position" rule is then replayed lane by lane to decide which positions count. LBP stumps have an
/// AVX2 path too: the 8 codes index the 256-bit subset with a lane permute and a per-lane shift.
/// </summary>
internal sealed unsafe partial class CascadeProgram
{

    /// <summary>Scans positions x = 0, step, ... &lt; layer.WorkWidth of table row <paramref name="y"/>.</summary>
    public void ScanRow(int* row, ScaleLayer layer, int y, List<PixelRect> hits, bool allowVector)
    {
        if (allowVector && Vector256.IsHardwareAccelerated &&
            (kind == Kind.HaarStumps || (kind == Kind.HaarTrees && maxNodesPerTree <= MaxVectorTreeNodes)))
        {
            ScanRowHaarVector256(row, layer, y, hits);
            return;
        }

        if (allowVector && kind == Kind.LbpStumps && Avx2.IsSupported)
        {
            ScanRowLbpStumpsAvx2(row, layer, y, hits);
            return;
        }

        int step = layer.Step;
        for (int x = 0; x < layer.WorkWidth; x += step)
        {
            int result = Run(row + x);
            if (result > 0)
            {
                AddHit(layer, x, y, hits);
            }
            else if (result == 0)
            {
                x += step;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddHit(ScaleLayer layer, int x, int y, List<PixelRect> hits) =>
        hits.Add(new PixelRect((int)MathF.Round(x * layer.Scale), (int)MathF.Round(y * layer.Scale), layer.DetectionWidth, layer.DetectionHeight));

    // Trees are evaluated 8 wide by computing every node's split for all lanes, then walking the lanes together.
    private const int MaxVectorTreeNodes = 4;

    private void ScanRowHaarVector256(int* row, ScaleLayer layer, int y, List<PixelRect> hits)
    {
        bool trees = kind == Kind.HaarTrees;
        int step = layer.Step;
        int workWidth = layer.WorkWidth;
        int stageCount = stageThresholds.Length;
        var area = Vector256.Create(normArea);
        var tenth = Vector256.Create(0.1);
        int next = 0; // the next position OpenCV's loop visits
        fixed (CompiledStump* all = stumps)
        fixed (CompiledNode* allNodes = nodes)
        fixed (float* allLeaves = leaves)
        {
            for (int bx = 0; bx < workWidth; bx += 8)
            {
                if (next >= bx + 8)
                {
                    continue;
                }

                int* p = row + bx;

                // Variance normalisation of 8 windows (HaarEvaluator::setWindow).
                Vector256<int> sum = Load(p, norm0) - Load(p, norm1) - Load(p, norm2) + Load(p, norm3);
                int* q = p + squaresOffset;
                Vector256<uint> squares = (Load(q, norm0) - Load(q, norm1) - Load(q, norm2) + Load(q, norm3)).AsUInt32();
                (Vector256<long> sumLow, Vector256<long> sumHigh) = Vector256.Widen(sum);
                (Vector256<ulong> squaresLow, Vector256<ulong> squaresHigh) = Vector256.Widen(squares);
                Vector256<double> sumLowD = Vector256.ConvertToDouble(sumLow), sumHighD = Vector256.ConvertToDouble(sumHigh);
                Vector256<double> nfLow = area * Vector256.ConvertToDouble(squaresLow) - sumLowD * sumLowD;
                Vector256<double> nfHigh = area * Vector256.ConvertToDouble(squaresHigh) - sumHighD * sumHighD;
                Vector256<double> one = Vector256<double>.One;
                Vector256<float> normFactor = Vector256.Narrow(one / Vector256.Sqrt(nfLow), one / Vector256.Sqrt(nfHigh));
                Vector256<double> checkLow = area * Vector256.WidenLower(normFactor);
                Vector256<double> checkHigh = area * Vector256.WidenUpper(normFactor);
                uint windowOk = Mask(
                    Vector256.GreaterThan(nfLow, Vector256<double>.Zero) & Vector256.LessThan(checkLow, tenth),
                    Vector256.GreaterThan(nfHigh, Vector256<double>.Zero) & Vector256.LessThan(checkHigh, tenth));

                uint passed = windowOk == 0 ? 0 : windowOk & (trees ? TreeStagePasses(allNodes, allLeaves, 0, p, normFactor) : StagePasses(all, 0, p, normFactor));

                // Replay OpenCV's walk: a window refused by stage 0 (variance fine) skips the next position.
                uint visited = 0;
                int end = Math.Min(bx + 8, workWidth);
                while (next < end)
                {
                    int lane = next - bx;
                    visited |= 1u << lane;
                    bool firstStageRejected = (windowOk >> lane & 1) != 0 && (passed >> lane & 1) == 0;
                    next += firstStageRejected ? 2 * step : step;
                }

                // The later stages stay 8 wide even for a single survivor: cheaper than per-window code with
                // unpredictable branches (measured: about 1.5x faster overall than finishing below 3 survivors).
                uint alive = visited & passed;
                for (int stage = 1; alive != 0 && stage < stageCount; stage++)
                {
                    alive &= trees ? TreeStagePasses(allNodes, allLeaves, stage, p, normFactor) : StagePasses(all, stage, p, normFactor);
                }

                while (alive != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(alive);
                    alive &= alive - 1;
                    AddHit(layer, bx + lane, y, hits);
                }
            }
        }
    }

    private void ScanRowLbpStumpsAvx2(int* row, ScaleLayer layer, int y, List<PixelRect> hits)
    {
        int step = layer.Step;
        int workWidth = layer.WorkWidth;
        int stageCount = stageThresholds.Length;
        int next = 0;
        fixed (CompiledLbpFeature* all = lbp)
        {
            for (int bx = 0; bx < workWidth; bx += 8)
            {
                if (next >= bx + 8)
                {
                    continue;
                }

                int* p = row + bx;
                uint passed = LbpStagePasses(all, 0, p);

                // Every LBP window is valid (no variance test), so a stage-0 rejection always skips the next position.
                uint visited = 0;
                int end = Math.Min(bx + 8, workWidth);
                while (next < end)
                {
                    int lane = next - bx;
                    visited |= 1u << lane;
                    next += (passed >> lane & 1) == 0 ? 2 * step : step;
                }

                // The later stages stay 8 wide even for a single survivor: cheaper than per-window code with
                // unpredictable branches (measured: about 1.5x faster overall than finishing below 3 survivors).
                uint alive = visited & passed;
                for (int stage = 1; alive != 0 && stage < stageCount; stage++)
                {
                    alive &= LbpStagePasses(all, stage, p);
                }

                while (alive != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(alive);
                    alive &= alive - 1;
                    AddHit(layer, bx + lane, y, hits);
                }
            }
        }
    }

    /// <summary>Bit i set when window p + i passes LBP stump stage <paramref name="stage"/> (predictCategoricalStump, 8 lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint LbpStagePasses(CompiledLbpFeature* all, int stage, int* p)
    {
        CompiledLbpFeature* f = all + stageFirstWeak[stage];
        int count = stageWeakCounts[stage];
        Vector256<double> sumLow = Vector256<double>.Zero, sumHigh = Vector256<double>.Zero;
        for (int i = 0; i < count; i++, f++)
        {
            int* o = f->Offsets;
            Vector256<int> centre = Block(p, o[5], o[6], o[9], o[10]);
            Vector256<int> code =
                (Vector256.GreaterThanOrEqual(Block(p, o[0], o[1], o[4], o[5]), centre) & Vector256.Create(128)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[1], o[2], o[5], o[6]), centre) & Vector256.Create(64)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[2], o[3], o[6], o[7]), centre) & Vector256.Create(32)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[6], o[7], o[10], o[11]), centre) & Vector256.Create(16)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[10], o[11], o[14], o[15]), centre) & Vector256.Create(8)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[9], o[10], o[13], o[14]), centre) & Vector256.Create(4)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[8], o[9], o[12], o[13]), centre) & Vector256.Create(2)) |
                (Vector256.GreaterThanOrEqual(Block(p, o[4], o[5], o[8], o[9]), centre) & Vector256<int>.One);
            Vector256<int> word = Avx2.PermuteVar8x32(Vector256.Load(f->Subset), Vector256.ShiftRightLogical(code, 5));
            Vector256<uint> bit = Avx2.ShiftRightLogicalVariable(word.AsUInt32(), (code & Vector256.Create(31)).AsUInt32()) & Vector256<uint>.One;
            Vector256<float> leaf = Vector256.ConditionalSelect(
                Vector256.Equals(bit, Vector256<uint>.One).AsSingle(),
                Vector256.Create(f->Leaves[1]),
                Vector256.Create(f->Leaves[0]));
            sumLow += Vector256.WidenLower(leaf);
            sumHigh += Vector256.WidenUpper(leaf);
        }

        var threshold = Vector256.Create((double)stageThresholds[stage]);
        return Mask(Vector256.GreaterThanOrEqual(sumLow, threshold), Vector256.GreaterThanOrEqual(sumHigh, threshold));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Block(int* p, int a, int b, int c, int d) => Load(p, a) - Load(p, b) - Load(p, c) + Load(p, d);

    /// <summary>
    /// Bit i set when window p + i passes tree stage <paramref name="stage"/> (predictOrdered, 8 lanes): every node's
    /// split is computed for all lanes, then each lane's path is followed with selects (children &gt; 0 are nodes,
    /// &lt;= 0 leaves), at most one pass per node.
    /// </summary>
    private uint TreeStagePasses(CompiledNode* allNodes, float* allLeaves, int stage, int* p, Vector256<float> normFactor)
    {
        int first = stageFirstWeak[stage];
        int count = stageWeakCounts[stage];
        Vector256<double> sumLow = Vector256<double>.Zero, sumHigh = Vector256<double>.Zero;
        Vector256<int>* goesLeft = stackalloc Vector256<int>[MaxVectorTreeNodes];
        for (int weak = first; weak < first + count; weak++)
        {
            int nodeCount = weakNodeCounts[weak];
            CompiledNode* tree = allNodes + weakFirstNode[weak];
            float* treeLeaves = allLeaves + weakFirstNode[weak] + weak; // a tree of n nodes has n + 1 leaves
            for (int n = 0; n < nodeCount; n++)
            {
                CompiledNode* node = tree + n;
                Vector256<int> r0 = Load(p, node->A0) - Load(p, node->B0) - Load(p, node->C0) + Load(p, node->D0);
                Vector256<int> r1 = Load(p, node->A1) - Load(p, node->B1) - Load(p, node->C1) + Load(p, node->D1);
                Vector256<float> value = Vector256.Create(node->Weight0) * Vector256.ConvertToSingle(r0) +
                                         Vector256.Create(node->Weight1) * Vector256.ConvertToSingle(r1);
                if (node->Weight2 != 0f)
                {
                    Vector256<int> r2 = Load(p, node->A2) - Load(p, node->B2) - Load(p, node->C2) + Load(p, node->D2);
                    value += Vector256.Create(node->Weight2) * Vector256.ConvertToSingle(r2);
                }

                goesLeft[n] = Vector256.LessThan(value * normFactor, Vector256.Create(node->Threshold)).AsInt32();
            }

            Vector256<int> index = Vector256.ConditionalSelect(goesLeft[0], Vector256.Create(tree->Left), Vector256.Create(tree->Right));
            for (int pass = 1; pass < nodeCount && Vector256.GreaterThanAny(index, Vector256<int>.Zero); pass++)
            {
                for (int n = 1; n < nodeCount; n++)
                {
                    Vector256<int> child = Vector256.ConditionalSelect(goesLeft[n], Vector256.Create(tree[n].Left), Vector256.Create(tree[n].Right));
                    index = Vector256.ConditionalSelect(Vector256.Equals(index, Vector256.Create(n)), child, index);
                }
            }

            Vector256<float> leaf = Vector256.Create(treeLeaves[0]);
            for (int k = 1; k <= nodeCount; k++)
            {
                leaf = Vector256.ConditionalSelect(Vector256.Equals(index, Vector256.Create(-k)).AsSingle(), Vector256.Create(treeLeaves[k]), leaf);
            }

            sumLow += Vector256.WidenLower(leaf);
            sumHigh += Vector256.WidenUpper(leaf);
        }

        var threshold = Vector256.Create((double)stageThresholds[stage]);
        return Mask(Vector256.GreaterThanOrEqual(sumLow, threshold), Vector256.GreaterThanOrEqual(sumHigh, threshold));
    }

    /// <summary>Bit i set when window p + i passes stump stage <paramref name="stage"/> (predictOrderedStump, 8 lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint StagePasses(CompiledStump* all, int stage, int* p, Vector256<float> normFactor)
    {
        CompiledStump* s = all + stageFirstWeak[stage];
        int count = stageWeakCounts[stage];
        Vector256<double> sumLow = Vector256<double>.Zero, sumHigh = Vector256<double>.Zero;
        for (int i = 0; i < count; i++, s++)
        {
            Vector256<int> r0 = Load(p, s->A0) - Load(p, s->B0) - Load(p, s->C0) + Load(p, s->D0);
            Vector256<int> r1 = Load(p, s->A1) - Load(p, s->B1) - Load(p, s->C1) + Load(p, s->D1);
            Vector256<float> value = Vector256.Create(s->Weight0) * Vector256.ConvertToSingle(r0) +
                                     Vector256.Create(s->Weight1) * Vector256.ConvertToSingle(r1);
            if (s->Weight2 != 0f)
            {
                Vector256<int> r2 = Load(p, s->A2) - Load(p, s->B2) - Load(p, s->C2) + Load(p, s->D2);
                value += Vector256.Create(s->Weight2) * Vector256.ConvertToSingle(r2);
            }

            Vector256<float> leaf = Vector256.ConditionalSelect(
                Vector256.LessThan(value * normFactor, Vector256.Create(s->Threshold)),
                Vector256.Create(s->Left),
                Vector256.Create(s->Right));
            sumLow += Vector256.WidenLower(leaf);
            sumHigh += Vector256.WidenUpper(leaf);
        }

        var threshold = Vector256.Create((double)stageThresholds[stage]);
        return Mask(Vector256.GreaterThanOrEqual(sumLow, threshold), Vector256.GreaterThanOrEqual(sumHigh, threshold));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(int* p, int offset) => Vector256.Load(p + offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask(Vector256<double> low, Vector256<double> high) =>
        low.ExtractMostSignificantBits() | (high.ExtractMostSignificantBits() << 4);
}
