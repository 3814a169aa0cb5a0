using Facemoji.Engine.Kernels;
using Facemoji.Engine.Tests.Support;
using Xunit.Abstractions;

namespace Facemoji.Engine.Tests.Kernels;

/// <summary>
/// Every layer's backward against central finite differences, in double precision, through the generic
/// reference kernels (the optimised float kernels are then tested against these references).
/// </summary>
public sealed class FiniteDifferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    private void Report(string what, double error)
    {
        output.WriteLine($"{what}: largest relative error {error:E2}");
        error.Should().BeLessThan(Tolerance, what);
    }

    [Theory]
    [InlineData(2, 2, 5, 4, 3, 3, 1, 1)]
    [InlineData(1, 3, 6, 7, 2, 3, 2, 1)]
    [InlineData(2, 2, 4, 4, 3, 1, 1, 0)]
    [InlineData(1, 1, 7, 5, 2, 5, 2, 2)]
    [InlineData(1, 2, 5, 5, 2, 2, 3, 0)]
    public void Conv2dBackwardMatchesFiniteDifferences(int n, int cin, int h, int w, int cout, int k, int stride, int padding)
    {
        var g = new ConvGeometry(n, cin, h, w, cout, k, k, stride, padding);
        double[] x = TestData.Doubles(g.InputLength, 1), wt = TestData.Doubles(g.WeightLength, 2), b = TestData.Doubles(cout, 3);
        double[] up = TestData.Doubles(g.OutputLength, 4), y = new double[g.OutputLength];
        double Loss()
        {
            Conv2dReference.Forward<double>(x, wt, b, y, g);
            return GradientCheck.Dot(up, y);
        }

        double[] dx = new double[x.Length], dw = new double[wt.Length], db = new double[b.Length];
        Conv2dReference.Backward<double>(x, wt, up, dx, dw, db, g);
        Report("conv dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, Loss)));
        Report("conv dw", GradientCheck.MaxRelativeError(dw, GradientCheck.Numerical(wt, Loss)));
        Report("conv db", GradientCheck.MaxRelativeError(db, GradientCheck.Numerical(b, Loss)));
    }

    [Theory]
    [InlineData(2, 2, 6, 5, 2, 2, 0)]
    [InlineData(1, 2, 7, 9, 3, 2, 1)]
    [InlineData(1, 1, 5, 5, 3, 1, 1)]
    public void PoolingBackwardMatchesFiniteDifferences(int n, int c, int h, int w, int k, int stride, int padding)
    {
        var g = new PoolGeometry(n, c, h, w, k, stride, padding);
        double[] x = TestData.Doubles(g.InputLength, 5), up = TestData.Doubles(g.OutputLength, 6), y = new double[g.OutputLength];
        int[] argmax = new int[g.OutputLength];
        double MaxLoss()
        {
            MaxPool2dReference.Forward<double>(x, y, argmax, g);
            return GradientCheck.Dot(up, y);
        }

        double AvgLoss()
        {
            AvgPool2dReference.Forward<double>(x, y, g);
            return GradientCheck.Dot(up, y);
        }

        double[] dx = new double[x.Length];
        MaxLoss();
        MaxPool2dReference.Backward<double>(up, argmax, dx, g);
        Report("maxpool dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, MaxLoss)));
        AvgPool2dReference.Backward<double>(up, dx, g);
        Report("avgpool dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, AvgLoss)));
    }

    [Fact]
    public void GlobalAvgPoolBackwardMatchesFiniteDifferences()
    {
        double[] x = TestData.Doubles(2 * 3 * 4 * 5, 7), up = TestData.Doubles(6, 8), y = new double[6], dx = new double[x.Length];
        double Loss()
        {
            GlobalAvgPoolReference.Forward<double>(x, y, 6, 20);
            return GradientCheck.Dot(up, y);
        }

        GlobalAvgPoolReference.Backward<double>(up, dx, 6, 20);
        Report("gap dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, Loss)));
    }

    [Theory]
    [InlineData(4, 3, 5, true)]
    [InlineData(6, 5, 1, true)]
    [InlineData(2, 3, 4, false)]
    public void BatchNormBackwardMatchesFiniteDifferences(int n, int c, int s, bool training)
    {
        double[] x = TestData.Doubles(n * c * s, 9, 2), gamma = TestData.Doubles(c, 10), beta = TestData.Doubles(c, 11);
        double[] up = TestData.Doubles(n * c * s, 12), y = new double[x.Length], mean = new double[c], inv = new double[c];
        double[] runningMean = TestData.Doubles(c, 13, 0.1), runningVar = Array.ConvertAll(TestData.Doubles(c, 14), v => 0.5 + Math.Abs(v));
        double Loss()
        {
            if (training)
            {
                BatchNormReference.ForwardTraining<double>(x, gamma, beta, y, mean, inv, new double[c], new double[c], 0.1, 1e-5, n, c, s);
            }
            else
            {
                BatchNormReference.ForwardEval<double>(x, gamma, beta, runningMean, runningVar, y, 1e-5, n, c, s);
            }

            return GradientCheck.Dot(up, y);
        }

        Loss();
        double[] dx = new double[x.Length], dgamma = new double[c], dbeta = new double[c];
        if (training)
        {
            BatchNormReference.BackwardTraining<double>(x, gamma, mean, inv, up, dx, dgamma, dbeta, n, c, s);
        }
        else
        {
            BatchNormReference.BackwardEval<double>(x, gamma, runningMean, runningVar, up, dx, dgamma, dbeta, 1e-5, n, c, s);
        }

        Report("batchnorm dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, Loss)));
        Report("batchnorm dgamma", GradientCheck.MaxRelativeError(dgamma, GradientCheck.Numerical(gamma, Loss)));
        Report("batchnorm dbeta", GradientCheck.MaxRelativeError(dbeta, GradientCheck.Numerical(beta, Loss)));
    }

    [Fact]
    public void ActivationsBackwardMatchFiniteDifferences()
    {
        double[] x = TestData.Doubles(40, 15, 2), up = TestData.Doubles(40, 16), y = new double[40], dx = new double[40];
        double ReluLoss()
        {
            ActivationReference.Relu<double>(x, y);
            return GradientCheck.Dot(up, y);
        }

        double EluLoss()
        {
            ActivationReference.Elu<double>(x, y, 0.7);
            return GradientCheck.Dot(up, y);
        }

        ActivationReference.ReluBackward<double>(x, up, dx);
        Report("relu dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, ReluLoss)));
        ActivationReference.EluBackward<double>(x, up, dx, 0.7);
        Report("elu dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, EluLoss)));
    }

    [Fact]
    public void LinearBackwardMatchesFiniteDifferences()
    {
        const int n = 3, inF = 5, outF = 4;
        double[] x = TestData.Doubles(n * inF, 17), w = TestData.Doubles(outF * inF, 18), b = TestData.Doubles(outF, 19);
        double[] up = TestData.Doubles(n * outF, 20), y = new double[n * outF];
        double Loss()
        {
            LinearReference.Forward<double>(x, w, b, y, n, inF, outF);
            return GradientCheck.Dot(up, y);
        }

        double[] dx = new double[x.Length], dw = new double[w.Length], db = new double[b.Length];
        LinearReference.Backward<double>(x, w, up, dx, dw, db, n, inF, outF);
        Report("linear dx", GradientCheck.MaxRelativeError(dx, GradientCheck.Numerical(x, Loss)));
        Report("linear dw", GradientCheck.MaxRelativeError(dw, GradientCheck.Numerical(w, Loss)));
        Report("linear db", GradientCheck.MaxRelativeError(db, GradientCheck.Numerical(b, Loss)));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.1, false)]
    [InlineData(0.0, true)]
    [InlineData(0.2, true)]
    public void CrossEntropyGradientMatchesFiniteDifferences(double smoothing, bool weighted)
    {
        const int n = 5, c = 7;
        double[] logits = TestData.Doubles(n * c, 21, 2);
        int[] targets = [3, 0, 6, 3, 1];
        double[] weights = weighted ? Array.ConvertAll(TestData.Doubles(c, 22), v => 0.3 + Math.Abs(v)) : [];
        double[] grad = new double[n * c], scratch = new double[n * c];
        double Loss() => CrossEntropyReference.ForwardBackward<double>(logits, targets, weights, smoothing, scratch, n, c);
        CrossEntropyReference.ForwardBackward<double>(logits, targets, weights, smoothing, grad, n, c);
        Report($"cross-entropy dlogits (smoothing {smoothing}, weighted {weighted})", GradientCheck.MaxRelativeError(grad, GradientCheck.Numerical(logits, Loss)));
    }
}
