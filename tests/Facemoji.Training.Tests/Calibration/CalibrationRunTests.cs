using Facemoji.Engine;
using Facemoji.Training.Calibration;

namespace Facemoji.Training.Tests.Calibration;

/// <summary><c>facemoji calibrate</c>'s checks, in the library: each bad value named before the data is read.</summary>
public sealed class CalibrationRunTests
{
    [Theory]
    [InlineData(0, 0.1, "--batch-size")]
    [InlineData(4097, 0.1, "--batch-size must be 1 to 4096")]
    [InlineData(8, 0, "--fraction")]
    [InlineData(8, 1, "--fraction")]
    [InlineData(8, 0.1, "/no/such/model.fmj: no such model file")]
    public void A_bad_value_is_refused_before_the_data_is_read(int batchSize, double fraction, string named)
    {
        var request = new CalibrationRequest { ModelPath = "/no/such/model.fmj", Data = "/no/such/faces.csv", BatchSize = batchSize, Fraction = fraction };
        var act = () => CalibrationRun.Run(request, _ => { }, _ => { });
        act.Should().Throw<FacemojiException>().WithMessage($"*{named}*").Which.Message.Should().NotContain("faces.csv");
    }
}
