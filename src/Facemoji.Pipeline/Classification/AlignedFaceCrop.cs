using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Vision.Detection;
using Facemoji.Vision.Detection.BlazeFace;

namespace Facemoji.Pipeline.Classification;

/// <summary>
/// Cuts out a face found with landmarks turned upright (the eyes level: the square is turned by the face's roll)
/// and framed as FER2013 frames its faces for the detector that found it (<see cref="BlazeFaceModel.FerFrameScale"/>,
/// <see cref="BlazeFaceModel.FerFrameOffsetY"/>), scaled to the classifier's input. Outside the frame the edge
/// pixels repeat, as in <see cref="FaceCrop"/>.
/// </summary>
internal static class AlignedFaceCrop
{
    public static GrayImage Extract(GrayImage frame, DetectedFace face, int size, BlazeFaceModel model)
    {
        double side = (face.Box.Width + face.Box.Height) / 2.0;
        double radians = face.Roll * Math.PI / 180;
        double shift = model.FerFrameOffsetY * side;

        // "Down" in the face's own frame is (−sin, cos) in the picture.
        double cx = face.Center.X - (Math.Sin(radians) * shift), cy = face.Center.Y + (Math.Cos(radians) * shift);
        return Rotation.CutSquare(frame, size, cx, cy, side * model.FerFrameScale, face.Roll);
    }
}
