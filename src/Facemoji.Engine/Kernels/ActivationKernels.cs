using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Facemoji.Engine.Kernels;

/// <summary>
/// ReLU and ELU, forward and backward, over flat spans (any shape), plus the fused bias+ReLU epilogue of
/// convolutions. Element-wise math through TensorPrimitives; the masked selects (which TensorPrimitives lacks)
/// have Vector512 / Vector256 / Vector128 / scalar paths.
/// </summary>
internal static class ActivationKernels
{
    // x (any) -> y (same): y = max(x, 0)
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    // y (any) = ReLU output, dy (same) -> dx (same) written: dx = y > 0 ? dy : 0
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => SelectWherePositive(y, dy, dx);

    // row (any) in place: row = max(row + bias, 0)
    public static void BiasRelu(Span<float> row, float bias) => ScaleShift(row, 1f, bias, row, relu: true);

    // x (any) -> y (same) written: y = x·scale + shift, then max(y, 0) when relu; one pass (y may alias x)
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y, bool relu)
    {
        int n = y.Length;
        if (x.Length < n)
        {
            throw new ArgumentException("ScaleShift input is shorter than the output.");
        }

        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        // A floor of −∞ leaves values alone when no ReLU is wanted, so one loop serves both.
        float floor = relu ? 0f : float.NegativeInfinity;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> a = Vector512.Create(scale), b = Vector512.Create(shift), f = Vector512.Create(floor);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Max(Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xs, (nuint)i), a, b), f).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<float> a = Vector256.Create(scale), b = Vector256.Create(shift), f = Vector256.Create(floor);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xs, (nuint)i), a, b), f).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            Vector128<float> a = Vector128.Create(scale), b = Vector128.Create(shift), f = Vector128.Create(floor);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.Max(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref xs, (nuint)i), a, b), f).StoreUnsafe(ref ys, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = MathF.Max(MathF.FusedMultiplyAdd(Unsafe.Add(ref xs, i), scale, shift), floor);
        }
    }

    // x (any) -> y (same): y = x > 0 ? x : alpha·(exp(x) − 1), computed branch-free as alpha·(exp(min(x,0)) − 1), then x where x > 0.
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        TensorPrimitives.Min(x, 0f, y);
        TensorPrimitives.Exp(y, y);
        ScaleShift(y, alpha, -alpha, y, relu: false);
        // Now y = alpha·(exp(min(x,0)) − 1), which is 0 where x > 0: there the output is x itself.
        SelectWherePositive(x, x, y, y);
    }

    // x (any) = ELU input, y (same) = ELU output, dy (same) -> dx (same) written: dx = x > 0 ? dy : dy·(y + alpha)
    public static void EluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        TensorPrimitives.Add(y, alpha, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
        SelectWherePositive(x, dy, dx, dx);
    }

    // dst[i] = condition[i] > 0 ? ifPositive[i] : 0
    public static void SelectWherePositive(ReadOnlySpan<float> condition, ReadOnlySpan<float> ifPositive, Span<float> dst)
        => SelectCore(condition, ifPositive, default, dst, useOtherwise: false);

    // dst[i] = condition[i] > 0 ? ifPositive[i] : otherwise[i]  (dst may alias otherwise)
    public static void SelectWherePositive(ReadOnlySpan<float> condition, ReadOnlySpan<float> ifPositive, ReadOnlySpan<float> otherwise, Span<float> dst)
        => SelectCore(condition, ifPositive, otherwise, dst, useOtherwise: true);

    private static void SelectCore(ReadOnlySpan<float> condition, ReadOnlySpan<float> ifPositive, ReadOnlySpan<float> otherwise, Span<float> dst, bool useOtherwise)
    {
        int n = dst.Length;
        if (condition.Length < n || ifPositive.Length < n || (useOtherwise && otherwise.Length < n))
        {
            throw new ArgumentException("Select operands are shorter than the destination.");
        }

        ref float c = ref MemoryMarshal.GetReference(condition);
        ref float a = ref MemoryMarshal.GetReference(ifPositive);
        ref float o = ref useOtherwise ? ref MemoryMarshal.GetReference(otherwise) : ref Unsafe.NullRef<float>();
        ref float d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var mask = Vector512.GreaterThan(Vector512.LoadUnsafe(ref c, (nuint)i), Vector512<float>.Zero);
                var other = useOtherwise ? Vector512.LoadUnsafe(ref o, (nuint)i) : Vector512<float>.Zero;
                Vector512.ConditionalSelect(mask, Vector512.LoadUnsafe(ref a, (nuint)i), other).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var mask = Vector256.GreaterThan(Vector256.LoadUnsafe(ref c, (nuint)i), Vector256<float>.Zero);
                var other = useOtherwise ? Vector256.LoadUnsafe(ref o, (nuint)i) : Vector256<float>.Zero;
                Vector256.ConditionalSelect(mask, Vector256.LoadUnsafe(ref a, (nuint)i), other).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var mask = Vector128.GreaterThan(Vector128.LoadUnsafe(ref c, (nuint)i), Vector128<float>.Zero);
                var other = useOtherwise ? Vector128.LoadUnsafe(ref o, (nuint)i) : Vector128<float>.Zero;
                Vector128.ConditionalSelect(mask, Vector128.LoadUnsafe(ref a, (nuint)i), other).StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Unsafe.Add(ref c, i) > 0f ? Unsafe.Add(ref a, i) : (useOtherwise ? Unsafe.Add(ref o, i) : 0f);
        }
    }
}
