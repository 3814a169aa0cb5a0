namespace Facemoji.Vision.Detection;

/// <summary>
/// BlazeFace's six keypoints, in its output order. "Right" and "left" are the person's: the right eye is on the
/// left of a picture of a face that looks at the camera.
/// </summary>
public static class FaceLandmarks
{
    public const int RightEye = 0;
    public const int LeftEye = 1;
    public const int NoseTip = 2;
    public const int MouthCenter = 3;
    public const int RightEarTragion = 4;
    public const int LeftEarTragion = 5;

    public static IReadOnlyList<string> Names { get; } = ["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"];

    /// <summary>The roll of the line from the right eye to the left eye, degrees, clockwise positive (0 when level).</summary>
    public static double RollDegrees(FacePoint rightEye, FacePoint leftEye) =>
        Math.Atan2(leftEye.Y - rightEye.Y, leftEye.X - rightEye.X) * 180 / Math.PI;
}
