using Facemoji.Engine.Randomness;
using Facemoji.Training.Calibration;

namespace Facemoji.Training.Tests.Calibration;

public sealed class TemperatureScalingTests
{
    /// <summary>Logits of N images; labels drawn from softmax(logits / trueTemperature), so the best fit is that temperature.</summary>
    private static (ViewLogits Logits, int[] Labels) Synthetic(double trueTemperature, int count, ulong seed)
    {
        const int classes = 7;
        var rng = new SeededRandom(seed);
        var values = new float[count * classes];
        var labels = new int[count];
        var p = new double[classes];
        for (int i = 0; i < count; i++)
        {
            var row = values.AsSpan(i * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                row[c] = rng.NextFloat(-4, 4);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                p[c] = Math.Exp(row[c] / trueTemperature);
                sum += p[c];
            }

            for (int c = 0; c < classes; c++)
            {
                p[c] /= sum;
            }

            double u = rng.NextDouble(), cumulative = 0;
            labels[i] = classes - 1;
            for (int c = 0; c < classes; c++)
            {
                cumulative += p[c];
                if (u < cumulative)
                {
                    labels[i] = c;
                    break;
                }
            }
        }

        return (new ViewLogits(values, 1, count, classes), labels);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(1.7)]
    [InlineData(3.0)]
    [Trait("Category", "Slow")]
    public void FitRecoversTheTemperatureTheLabelsWereDrawnWith(double trueTemperature)
    {
        var (logits, labels) = Synthetic(trueTemperature, 20_000, seed: 7);

        double fitted = TemperatureScaling.Fit(logits, labels);

        fitted.Should().BeApproximately(trueTemperature, trueTemperature * 0.05);
        double best = TemperatureScaling.Nll(logits, labels, fitted);
        TemperatureScaling.Nll(logits, labels, fitted * 1.1).Should().BeGreaterThan(best);
        TemperatureScaling.Nll(logits, labels, fitted / 1.1).Should().BeGreaterThan(best);
    }

    [Fact]
    public void FitLowersTheCalibrationErrorOfOverconfidentLogits()
    {
        // The labels follow softmax(z / 2), but the model shows softmax(z): over-confident.
        var (logits, labels) = Synthetic(2.0, 10_000, seed: 11);
        double before = CalibrationMetrics.ExpectedCalibrationError(logits.Probabilities(1), labels, 7);

        double t = TemperatureScaling.Fit(logits, labels);
        double after = CalibrationMetrics.ExpectedCalibrationError(logits.Probabilities(t), labels, 7);

        before.Should().BeGreaterThan(0.08);
        after.Should().BeLessThan(0.02);
    }

    [Fact]
    public void ProbabilitiesAverageTheSoftmaxOfEachViewAtTheTemperature()
    {
        // Two views of one image with two classes: logits (2, 0) and (0, 0).
        var logits = new ViewLogits([2f, 0f, 0f, 0f], views: 2, count: 1, classes: 2);

        var plain = logits.Probabilities(1);
        var hot = logits.Probabilities(2);

        double first = 1 / (1 + Math.Exp(-2)), firstHot = 1 / (1 + Math.Exp(-1));
        plain[0].Should().BeApproximately((float)((first + 0.5) / 2), 1e-6f);
        plain[1].Should().BeApproximately((float)((1 - first + 0.5) / 2), 1e-6f);
        hot[0].Should().BeApproximately((float)((firstHot + 0.5) / 2), 1e-6f);
    }

    [Fact]
    public void TheArgMaxOfOneViewDoesNotDependOnTheTemperature()
    {
        var (logits, _) = Synthetic(1.0, 500, seed: 3);
        Facemoji.Training.Evaluation.Predictor.ArgMax(logits.Probabilities(0.3), 7).Should().Equal(Facemoji.Training.Evaluation.Predictor.ArgMax(logits.Probabilities(4), 7));
    }

    [Fact]
    public void FitRefusesMismatchedLabelsAndNoImages()
    {
        var logits = new ViewLogits([1f, 0f], 1, 1, 2);
        FluentActions.Invoking(() => TemperatureScaling.Fit(logits, [0, 1])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => TemperatureScaling.Fit(new ViewLogits([], 1, 0, 2), [])).Should().Throw<FacemojiException>();
    }
}
