using Facemoji.Imaging;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Tests.Fixtures;

namespace Facemoji.Vision.Tests.Detection;

/// <summary>The SIMD scan against the plain per-window scan: the raw windows (before grouping) must be identical.</summary>
[Trait("Category", "Kernels")]
public sealed class VectorPathTests
{
    [Theory]
    [InlineData("haarcascades/haarcascade_frontalface_default.xml", "frame_640x480", 1.1, 40)]
    [InlineData("haarcascades/haarcascade_frontalface_default.xml", "collage_640x480", 1.2, 30)]
    [InlineData("haarcascades/haarcascade_frontalface_default.xml", "coins", 1.1, 20)]
    [InlineData("haarcascades/haarcascade_frontalcatface_extended.xml", "chelsea_cat", 1.15, 0)]
    [InlineData("lbpcascades/lbpcascade_frontalface_improved.xml", "astronaut_512", 1.15, 20)]
    [InlineData("haarcascades/haarcascade_frontalface_alt2.xml", "astronaut_224", 1.1, 0)]
    [InlineData("haarcascades/haarcascade_eye_tree_eyeglasses.xml", "astronaut_512", 1.2, 12)]
    [Trait("Category", "Slow")]
    public void Vector_and_scalar_scans_find_the_same_windows(string cascade, string image, double scaleFactor, int minSize)
    {
        GrayImage frame = DetectorFixtures.Load().ReadImage(image);
        var classifier = OpenCvAgreementTests.LoadCascade(Path.Combine("/usr/share/opencv4", cascade));
        var options = new DetectionOptions { ScaleFactor = scaleFactor, MinNeighbors = 0, MinWidth = minSize, MinHeight = minSize };
        var fast = new FaceDetector(classifier);
        var plain = new FaceDetector(classifier) { ScalarOnly = true };

        List<PixelRect> expected = [.. plain.DetectCandidates(frame.Pixels, frame.Width, frame.Height, options)];
        List<PixelRect> actual = [.. fast.DetectCandidates(frame.Pixels, frame.Width, frame.Height, options)];

        expected.Should().NotBeEmpty();
        actual.Should().Equal(expected);
    }
}
