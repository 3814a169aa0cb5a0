using Facemoji.Engine.Kernels;
using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// The distillation loss: the reference's gradient against central finite differences (double), the float kernel
/// against the reference, and the blend with the hard-label loss at its ends (α = 0 is the plain loss bit for bit,
/// α = 1 the pure soft loss).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class DistillationKernelTests(ITestOutputHelper output)
{
    private void Report(string what, double error, double tolerance)
    {
        output.WriteLine($"{what}: largest error {error:E2}");
        error.Should().BeLessThan(tolerance, what);
    }

    /// <summary>Rows of random positive numbers summing to 1 (a teacher ensemble's soft targets), with a few exact zeros.</summary>
    private static double[] SoftTargets(int n, int c, ulong seed, bool withZeros)
    {
        double[] q = Array.ConvertAll(TestData.Doubles(n * c, seed), v => Math.Exp(2 * v));
        for (int b = 0; b < n; b++)
        {
            if (withZeros)
            {
                q[(b * c) + (b % c)] = 0;
            }

            double sum = 0;
            for (int j = 0; j < c; j++)
            {
                sum += q[(b * c) + j];
            }

            for (int j = 0; j < c; j++)
            {
                q[(b * c) + j] /= sum;
            }
        }

        return q;
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(4.0, false)]
    [InlineData(0.5, true)]
    [InlineData(7.5, true)]
    public void The_reference_gradient_matches_finite_differences(double temperature, bool withZeros)
    {
        const int n = 5, c = 7;
        double[] logits = TestData.Doubles(n * c, 41, 3);
        double[] q = SoftTargets(n, c, 42, withZeros);
        double[] grad = new double[n * c], scratch = new double[n * c];
        double Loss() => DistillationReference.ForwardBackward<double>(logits, q, temperature, scratch, n, c);
        DistillationReference.ForwardBackward<double>(logits, q, temperature, grad, n, c);
        Report($"distillation dlogits (T {temperature}, zeros {withZeros})", GradientCheck.MaxRelativeError(grad, GradientCheck.Numerical(logits, Loss)), 1e-6);
    }

    [Fact]
    public void The_loss_is_zero_when_the_student_matches_the_teacher_and_positive_otherwise()
    {
        const int n = 3, c = 7;
        const double temperature = 3;
        double[] logits = TestData.Doubles(n * c, 43, 2);
        double[] q = new double[n * c], grad = new double[n * c];
        DistillationReference.Soften<double>(logits, temperature, q, n, c);
        DistillationReference.ForwardBackward<double>(logits, q, temperature, grad, n, c).Should().BeApproximately(0, 1e-12);
        grad.Should().OnlyContain(g => Math.Abs(g) < 1e-12);
        DistillationReference.ForwardBackward<double>(TestData.Doubles(n * c, 44, 2), q, temperature, grad, n, c).Should().BeGreaterThan(0.01);
    }

    [Theory]
    [InlineData(1, 1, 1f)]
    [InlineData(4, 7, 1f)]
    [InlineData(9, 7, 4f)]
    [InlineData(3, 19, 2.5f)]
    [InlineData(64, 7, 20f)]
    [InlineData(5, 7, 0.25f)]
    public void The_kernel_matches_the_reference(int n, int c, float temperature)
    {
        float[] logits = TestData.Floats(n * c, 45, 4f);
        float[] teacher = TestData.Floats(n * c, 46, 3f);
        float[] q = new float[n * c], qRef = new float[n * c];
        DistillationKernel.Soften(teacher, temperature, q, n, c);
        DistillationReference.Soften<float>(teacher, temperature, qRef, n, c);
        Report("softened teacher", TestData.MaxScaledDifference(q, qRef), 1e-6);

        float[] p = new float[n * c], grad = new float[n * c];
        double[] gradRef = new double[n * c];
        float loss = DistillationKernel.ForwardBackward(logits, q, temperature, p, grad, n, c);
        double lossRef = DistillationReference.ForwardBackward<double>(TestData.ToDouble(logits), TestData.ToDouble(q), temperature, gradRef, n, c);
        Report("distillation loss", Math.Abs(loss - lossRef) / (1 + Math.Abs(lossRef)), 1e-6);
        Report("distillation dlogits", TestData.MaxScaledDifference(grad, gradRef), 1e-6);
        float[] pRef = new float[n * c];
        DistillationReference.Soften<float>(logits, temperature, pRef, n, c);
        Report("softened student", TestData.MaxScaledDifference(p, pRef), 1e-6);
    }

    [Fact]
    public void A_weight_of_zero_is_the_plain_loss_bit_for_bit_and_one_the_pure_soft_loss()
    {
        const int n = 9, c = 7;
        float[] logits = TestData.Floats(n * c, 47, 3f);
        var rng = new SeededRandom(48);
        int[] targets = Enumerable.Range(0, n).Select(_ => rng.NextInt(c)).ToArray();
        float[] weights = TestData.Floats(c, 49).Select(v => 0.2f + Math.Abs(v)).ToArray();
        float[] probabilities = new float[n * c], plain = new float[n * c];
        float plainLoss = CrossEntropyKernel.ForwardBackward(logits, targets, weights, 0.1f, probabilities, plain, n, c);
        plain[3] = -0f; // a negative zero survives α = 0 too (1·g + 0·s would make it +0)

        float[] q = new float[n * c], p = new float[n * c], soft = new float[n * c];
        DistillationKernel.Soften(TestData.Floats(n * c, 50, 2f), 4f, q, n, c);
        float softLoss = DistillationKernel.ForwardBackward(logits, q, 4f, p, soft, n, c);

        float[] blended = (float[])plain.Clone();
        float loss = DistillationKernel.Blend(plainLoss, blended, softLoss, soft, 0f);
        BitConverter.SingleToInt32Bits(loss).Should().Be(BitConverter.SingleToInt32Bits(plainLoss));
        blended.Select(BitConverter.SingleToInt32Bits).Should().Equal(plain.Select(BitConverter.SingleToInt32Bits));

        blended = (float[])plain.Clone();
        DistillationKernel.Blend(plainLoss, blended, softLoss, soft, 1f).Should().Be(softLoss);
        blended.Should().Equal(soft);

        blended = (float[])plain.Clone();
        DistillationKernel.Blend(plainLoss, blended, softLoss, soft, 0.25f).Should().BeApproximately((0.75f * plainLoss) + (0.25f * softLoss), 1e-6f);
        for (int i = 0; i < n * c; i++)
        {
            blended[i].Should().BeApproximately((0.75f * plain[i]) + (0.25f * soft[i]), 1e-7f);
        }
    }
}
